import { test } from "node:test"
import assert from "node:assert/strict"
import { sessionUsage } from "./session-usage.js"

const assistant = (input: number, output: number, cost: number, cacheRead = 0) => ({ info: { role: "assistant", tokens: { input, output, reasoning: 0, cache: { read: cacheRead, write: 0 } }, cost } })

test("a session's usage sums its assistant messages; those that report usage are its requests", () => {
  const usage = sessionUsage([{ info: { role: "user" } }, assistant(100, 10, 0.01, 50), assistant(200, 20, 0.02), { info: { role: "user" } }, { info: { role: "assistant" } }, assistant(0, 0, 0)])
  assert.equal(usage.requests, 2)
  assert.deepEqual(usage.tokens, { input: 300, output: 30, reasoning: 0, cacheRead: 50, cacheWrite: 0 })
  assert.ok(Math.abs(usage.cost - 0.03) < 1e-12, `cost ${usage.cost}`)
})

test("no messages, no usage", () => {
  assert.deepEqual(sessionUsage([]), { tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0, requests: 0 })
})
