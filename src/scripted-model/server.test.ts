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
