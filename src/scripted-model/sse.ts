import type { ScriptedReply } from "./scenario.js"

export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** Deterministic token estimate: about four characters per token. Labelled an estimate everywhere. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/** The OpenAI streaming chunks of one scripted reply, each as an SSE `data:` line. */
export function replyToSseEvents(reply: ScriptedReply, model: string, requestId: string, usage: Usage): string[] {
  const created = Math.floor(Date.now() / 1000)
  const chunk = (delta: object, finishReason: string | null = null) => ({
    id: requestId,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })
  const events: object[] = [chunk({ role: "assistant", content: "" })]
  if (reply.text) events.push(chunk({ content: reply.text }))
  const tools = reply.tools ?? []
  tools.forEach((call, index) => {
    const id = `call_${requestId}_${index}`
    events.push(chunk({ tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: "" } }] }))
    events.push(chunk({ tool_calls: [{ index, function: { arguments: call.rawArguments ?? JSON.stringify(call.args ?? {}) } }] }))
  })
  events.push(chunk({}, tools.length > 0 ? "tool_calls" : "stop"))
  events.push({ id: requestId, object: "chat.completion.chunk", created, model, choices: [], usage })
  return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), "data: [DONE]\n\n"]
}
