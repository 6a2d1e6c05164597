import { test } from "node:test"
import assert from "node:assert/strict"
import { startScriptedModel } from "./server.js"
import { parseScenario } from "./scenario.js"

async function chat(url: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) })
  return { status: response.status, text: await response.text() }
}

const events = (sse: string) =>
  sse
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => block.slice(6))

test("a tool call streams as OpenAI chunks: role, call header, arguments, finish, usage, DONE", async () => {
  const scenario = parseScenario({ rules: [{ agent: "worker", replies: [{ tools: [{ name: "write", args: { filePath: "a.txt", content: "hi" } }] }] }] })
  const server = await startScriptedModel({ scenario })
  try {
    const { status, text } = await chat(server.url, { model: "m", stream: true, messages: [{ role: "user", content: "Task A · attempt 1" }] }, { "x-orchestrator-agent": "worker", "x-session-id": "ses_1" })
    assert.equal(status, 200)
    const data = events(text)
    assert.equal(data.at(-1), "[DONE]")
    const chunks = data.slice(0, -1).map((line) => JSON.parse(line))
    assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant", content: "" })
    assert.equal(chunks[1].choices[0].delta.tool_calls[0].function.name, "write")
    assert.deepEqual(JSON.parse(chunks[2].choices[0].delta.tool_calls[0].function.arguments), { filePath: "a.txt", content: "hi" })
    assert.equal(chunks[3].choices[0].finish_reason, "tool_calls")
    assert.deepEqual(chunks[4].choices, [])
    assert.ok(chunks[4].usage.prompt_tokens > 0)

    const [logged] = server.requests
    assert.deepEqual([logged!.agent, logged!.task, logged!.attempt, logged!.sessionId], ["worker", "A", 1, "ses_1"])
    assert.ok(logged!.endedAt! >= logged!.startedAt)
  } finally {
    await server.close()
  }
})

test("a scripted error answers with its HTTP status", async () => {
  const server = await startScriptedModel({ scenario: parseScenario({ rules: [{ replies: [{ error: { status: 400, message: "bad" } }] }] }) })
  try {
    const { status, text } = await chat(server.url, { messages: [{ role: "user", content: "x" }] })
    assert.equal(status, 400)
    assert.match(text, /"message":"bad"/)
  } finally {
    await server.close()
  }
})

test("faults: Retry-After on an error, a stream that stalls, malformed SSE, a cut-off stream, raw tool arguments", async () => {
  const scenario = parseScenario({
    rules: [
      { when: "busy", replies: [{ error: { status: 429, message: "slow down", retryAfterSeconds: 7 } }] },
      { when: "stall", replies: [{ text: "partial answer", fault: "stall" }] },
      { when: "malformed", replies: [{ text: "x", fault: "malformed-sse" }] },
      { when: "cut", replies: [{ text: "never finished", fault: "cut-off" }] },
      { when: "raw", replies: [{ tools: [{ name: "write", rawArguments: '{"filePath": "a.t' }] }] },
    ],
  })
  const server = await startScriptedModel({ scenario })
  const ask = (content: string, signal?: AbortSignal) =>
    fetch(`${server.url}/chat/completions`, { method: "POST", body: JSON.stringify({ messages: [{ role: "user", content }] }), signal })
  try {
    const busy = await ask("busy")
    assert.deepEqual([busy.status, busy.headers.get("retry-after")], [429, "7"])

    const stalled = await ask("stall")
    const reader = stalled.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    assert.match(first, /"role":"assistant"/)
    const next = await Promise.race([reader.read().then(() => "more"), new Promise((resolve) => setTimeout(() => resolve("stalled"), 300))])
    assert.equal(next, "stalled")
    await reader.cancel()

    const malformed = events(await (await ask("malformed")).text())
    assert.throws(() => JSON.parse(malformed.at(-1)!))
    assert.ok(!malformed.includes("[DONE]"))

    await assert.rejects(ask("cut").then((response) => response.text()), "the connection ends without a finished body")

    const raw = events(await (await ask("raw")).text())
    assert.equal(JSON.parse(raw[2]!).choices[0].delta.tool_calls[0].function.arguments, '{"filePath": "a.t')
  } finally {
    await server.close()
  }
})

test("waitForRequest holds an answer until the awaited request arrives, and no longer than its timeout", async () => {
  const scenario = parseScenario({
    rules: [
      { when: "first", replies: [{ text: "released", waitForRequest: { task: "B", timeoutMs: 20_000 } }] },
      { when: "alone", replies: [{ text: "timed out", waitForRequest: { task: "nobody", timeoutMs: 200 } }] },
    ],
    fallback: { text: "other" },
  })
  const server = await startScriptedModel({ scenario })
  try {
    let released = false
    const first = chat(server.url, { messages: [{ role: "user", content: "first" }] }).then((reply) => ((released = true), reply))
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(released, false, "held while task B has not been heard from")
    await chat(server.url, { messages: [{ role: "user", content: "Task B · attempt 1" }] })
    assert.match((await first).text, /released/)
    const started = Date.now()
    assert.match((await chat(server.url, { messages: [{ role: "user", content: "alone" }] })).text, /timed out/)
    assert.ok(Date.now() - started >= 200)
  } finally {
    await server.close()
  }
})
