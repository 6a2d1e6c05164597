import http from "node:http"
import { appendFileSync } from "node:fs"
import { setTimeout as sleep } from "node:timers/promises"
import type { AddressInfo } from "node:net"
import type { Scenario } from "./scenario.js"
import { describeRequest, selectReply, type ChatMessage, type RequestFacts } from "./request-facts.js"
import { estimateTokens, replyToSseEvents, type Usage } from "./sse.js"

/** One request the scripted model received, and what it answered. */
export interface LoggedRequest extends RequestFacts {
  index: number
  /** The model id the client asked for. */
  model?: string
  sessionId?: string
  parentSessionId?: string
  startedAt: number
  endedAt?: number
  rule: number
  messages: ChatMessage[]
  toolNames: string[]
  toolsJson: string
  replyText?: string
  replyTools: Array<{ name: string; args: Record<string, unknown> }>
  usage: Usage
}

export interface ScriptedModelServer {
  url: string
  port: number
  requests: LoggedRequest[]
  close(): Promise<void>
}

export interface ScriptedModelOptions {
  scenario: Scenario
  port?: number
  /** Append every logged request as one JSON line to this file. */
  logFile?: string
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}

export async function startScriptedModel(options: ScriptedModelOptions): Promise<ScriptedModelServer> {
  const requests: LoggedRequest[] = []
  /** How many requests each rule has answered (for `maxUses`). */
  const uses: number[] = []
  const closing = new AbortController()
  const server = http.createServer(async (request, response) => {
    try {
      if (request.method === "GET" && request.url?.endsWith("/models")) {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify({ object: "list", data: [{ id: "scripted", object: "model" }] }))
        return
      }
      if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
        response.writeHead(404).end()
        return
      }
      const body = JSON.parse(await readBody(request)) as {
        model?: string
        messages?: ChatMessage[]
        tools?: Array<{ function?: { name?: string } }>
      }
      const messages = body.messages ?? []
      const facts = describeRequest(messages, header(request, "x-orchestrator-agent"))
      const { reply, rule } = selectReply(options.scenario, facts, uses)
      if (rule >= 0) uses[rule] = (uses[rule] ?? 0) + 1
      const toolsJson = JSON.stringify(body.tools ?? [])
      const promptTokens = estimateTokens(JSON.stringify(messages)) + estimateTokens(toolsJson)
      const replySize = (reply.text ?? "") + JSON.stringify(reply.tools ?? [])
      const usage: Usage = {
        prompt_tokens: promptTokens,
        completion_tokens: estimateTokens(replySize),
        total_tokens: promptTokens + estimateTokens(replySize),
      }
      const entry: LoggedRequest = {
        ...facts,
        index: requests.length,
        model: body.model,
        sessionId: header(request, "x-session-id"),
        parentSessionId: header(request, "x-parent-session-id"),
        startedAt: Date.now(),
        rule,
        messages,
        toolNames: (body.tools ?? []).map((tool) => tool.function?.name ?? "").filter(Boolean),
        toolsJson,
        replyText: reply.text,
        replyTools: (reply.tools ?? []).map((call) => ({ name: call.name, args: call.args ?? {} })),
        usage,
      }
      requests.push(entry)
      if (reply.waitForRequest) {
        const { agent, task, timeoutMs } = reply.waitForRequest
        const seen = () => requests.some((other) => other !== entry && (agent === undefined || other.agent === agent) && (task === undefined || other.task === task))
        for (const until = Date.now() + timeoutMs; !seen() && Date.now() < until && !closing.signal.aborted; ) await sleep(20)
      }
      if (reply.delayMs) {
        // A delay ends early when the client hangs up (an aborted request) or the server closes.
        const hungUp = new AbortController()
        response.on("close", () => hungUp.abort())
        await sleep(reply.delayMs, undefined, { signal: AbortSignal.any([hungUp.signal, closing.signal]) }).catch(() => undefined)
        if (response.destroyed || closing.signal.aborted) return
      }
      if (reply.error) {
        const retryAfter = reply.error.retryAfterSeconds === undefined ? {} : { "retry-after": String(reply.error.retryAfterSeconds) }
        response.writeHead(reply.error.status, { "content-type": "application/json", ...retryAfter })
        response.end(JSON.stringify({ error: { message: reply.error.message, type: "scripted_error" } }))
      } else {
        response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
        const events = replyToSseEvents(reply, body.model ?? "scripted", `r${entry.index}`, usage)
        if (reply.fault === "malformed-sse") response.write(`${events[0]}data: {"id": "r${entry.index}", "choices": [ not json\n\n`)
        else for (const event of reply.fault ? events.slice(0, Math.max(1, Math.floor(events.length / 2))) : events) response.write(event)
        if (reply.fault === "stall") {
          // Nothing more until the client gives up (its timeout or an abort) or the server closes.
          await new Promise<void>((resolve) => {
            response.on("close", () => resolve())
            closing.signal.addEventListener("abort", () => resolve(), { once: true })
          })
          return
        }
        if (reply.fault === "cut-off") response.destroy()
        else response.end()
      }
      entry.endedAt = Date.now()
      if (options.logFile) appendFileSync(options.logFile, JSON.stringify(entry) + "\n")
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" })
      response.end(JSON.stringify({ error: { message: String(error) } }))
    }
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
