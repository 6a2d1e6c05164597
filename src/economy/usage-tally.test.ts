import { test } from "node:test"
import assert from "node:assert/strict"
import { UsageTally, type AssistantStepInfo } from "./usage-tally.js"

const step = (id: string, input: number, finish?: string, sessionID = "ses_w"): AssistantStepInfo => ({ id, sessionID, finish, tokens: { input, output: 1, reasoning: 0, cache: { read: 0, write: 0 } }, cost: input / 1000 })
const pending = Symbol("pending")
const settled = <T>(promise: Promise<T>) => Promise.race([promise, new Promise<typeof pending>((resolve) => setImmediate(() => resolve(pending)))])

test("a step's usage is the whole conversation's once that step has finished, later updates of a message replacing earlier ones", async () => {
  const tally = new UsageTally()
  tally.track("ses_w")
  tally.observe(step("msg_1", 0))
  tally.observe(step("msg_1", 100, "tool-calls"))
  tally.observe(step("msg_2", 0))
  const waiting = tally.afterStep("ses_w", "msg_2", new AbortController().signal)
  assert.equal(await settled(waiting), pending, "msg_2 has not finished")
  tally.observe(step("msg_2", 300, "tool-calls"))
  const usage = await waiting
  assert.equal(usage.requests, 2)
  assert.equal(usage.tokens.input, 400)
  assert.equal(usage.tokens.output, 2)
  assert.ok(Math.abs(usage.cost - 0.4) < 1e-12)
})

test("a step that finished before it was asked for answers at once; a closing step ended before its request counts no request", async () => {
  const tally = new UsageTally()
  tally.track("ses_w")
  tally.observe(step("msg_1", 50, "tool-calls"))
  tally.observe({ id: "msg_2", sessionID: "ses_w", finish: "error", tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } }, cost: 0 })
  const usage = await tally.afterStep("ses_w", "msg_1", new AbortController().signal)
  assert.equal(usage.requests, 1)
  assert.equal(usage.tokens.input, 50)
})

test("untracked sessions are not tallied, and asking for them never answers; an aborted wait is let go", async () => {
  const tally = new UsageTally()
  tally.observe(step("msg_1", 10, "stop", "ses_other"))
  assert.equal(tally.tracks("ses_other"), false)
  assert.equal(await settled(tally.afterStep("ses_other", "msg_1", new AbortController().signal)), pending)

  tally.track("ses_w")
  const abort = new AbortController()
  const waiting = tally.afterStep("ses_w", "msg_9", abort.signal)
  abort.abort()
  tally.observe(step("msg_9", 10, "tool-calls"))
  assert.equal(await settled(waiting), pending, "an aborted wait is not answered")
  tally.forget(["ses_w"])
  assert.equal(tally.tracks("ses_w"), false)
})
