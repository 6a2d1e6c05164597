import { test } from "node:test"
import assert from "node:assert/strict"
import type { Evidence } from "./mission-event.js"
import { decideReview, nextStepAfterReject } from "./review-policy.js"

const evidence = (exitCode: number | null, timedOut = false): Evidence => ({
  command: "npm test", exitCode, timedOut, durationMs: 1200, outputHead: "", outputTail: "1 failing\nexpected 3 got 4\n",
})

test("approve with passing evidence is approved", () => {
  assert.deepEqual(decideReview("approve", [], [evidence(0)]), { verdict: "approve", overruled: false, findings: [] })
})

test("approve with failing evidence is overruled, and the failure becomes a finding", () => {
  const decision = decideReview("approve", [], [evidence(0), evidence(1)])
  assert.equal(decision.verdict, "reject")
  assert.equal(decision.overruled, true)
  assert.equal(decision.findings.length, 1)
  assert.match(decision.findings[0]!.message, /`npm test` exited with code 1:\n1 failing\nexpected 3 got 4/)
})

test("a timeout is a failure even without an exit code", () => {
  const decision = decideReview("approve", [], [evidence(null, true)])
  assert.equal(decision.verdict, "reject")
  assert.match(decision.findings[0]!.message, /timed out after 1 s/)
})

test("reject keeps the reviewer's findings first", () => {
  const decision = decideReview("reject", [{ message: "missing edge case", file: "a.js" }], [evidence(1)])
  assert.equal(decision.verdict, "reject")
  assert.equal(decision.overruled, false)
  assert.deepEqual(decision.findings[0], { message: "missing edge case", file: "a.js" })
  assert.equal(decision.findings.length, 2)
})

test("no verdict is never an approval", () => {
  assert.equal(decideReview("none", [], [evidence(0)]).verdict, "reject")
})

test("rounds are bounded", () => {
  assert.equal(nextStepAfterReject(1, 3), "retry")
  assert.equal(nextStepAfterReject(2, 3), "retry")
  assert.equal(nextStepAfterReject(3, 3), "fail")
})
