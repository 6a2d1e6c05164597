import { test } from "node:test"
import assert from "node:assert/strict"
import { ClosingTurns } from "./closing-turns.js"

function deferred() {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((yes, no) => ([resolve, reject] = [yes, no]))
  return { promise, resolve, reject }
}

test("a session's next message waits for its closing turn; `after` runs once it ends, however it ends", async () => {
  const turns = new ClosingTurns()
  const turn = deferred()
  const after: string[] = []
  turns.add("ses_w", "/tree", turn.promise, () => after.push("ses_w"))
  let waited = false
  const next = turns.ended("ses_w").then(() => (waited = true))
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(waited, false)
  turn.reject(new Error("host went away"))
  await next
  assert.deepEqual(after, ["ses_w"])
  // A session with nothing closing answers at once.
  await turns.ended("ses_other")
  assert.deepEqual(await turns.settle(10), [])
})

test("settling is bounded: a turn that never ends is given back with its directory", async () => {
  const turns = new ClosingTurns()
  const quick = deferred()
  turns.add("ses_quick", "/a", quick.promise, () => {})
  turns.add("ses_stuck", "/b", new Promise(() => {}), () => {})
  quick.resolve()
  const started = Date.now()
  assert.deepEqual(await turns.settle(50), [{ sessionId: "ses_stuck", directory: "/b" }])
  assert.ok(Date.now() - started < 5000)
})
