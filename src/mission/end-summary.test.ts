import { test } from "node:test"
import assert from "node:assert/strict"
import type { MissionEvent } from "./mission-event.js"
import { foldEvents } from "./mission-state.js"
import { endSummary } from "./end-summary.js"

const start: MissionEvent = { type: "mission-start", missionId: "m-20261124-142930-abcd", goal: "g", rootSessionId: "s", directory: "/home/u/proj500", verifyCommands: ["npm test"] }
const task = (id: string) => ({ id, title: id, description: "", acceptance: [], files: [], dependsOn: [] })

test("a failed task is named; its findings, paths and provider errors are not repeated", () => {
  const state = foldEvents([
    start,
    { type: "plan-accept", attempt: 1, tasks: [task("A"), task("B")] },
    { type: "task-fail", taskId: "A", reason: "the worker session failed: 503 Service Unavailable (timeout)" },
    { type: "mission-end", status: "failed", reason: "task A failed: 503 Service Unavailable" },
  ])
  assert.equal(endSummary(state), "task A failed (see the report for the findings)")
})

test("each ending has a summary free of digits and host retry words", () => {
  const states = [
    foldEvents([start, { type: "plan-reject", attempt: 3, problems: ["file /x/500 leaves"] }, { type: "mission-end", status: "failed", reason: "no valid plan in 3 attempts" }]),
    foldEvents([start, { type: "mission-end", status: "stopped", reason: "aborted by the user" }]),
    foldEvents([start, { type: "mission-end", status: "stopped", reason: "stopped by mission_stop" }]),
    foldEvents([
      start,
      { type: "plan-accept", attempt: 1, tasks: [task("A")] },
      { type: "task-approve", taskId: "A", attempt: 1 },
      { type: "master-review-end", round: 3, sessionId: "s", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ message: "429 internal error" }] },
      { type: "mission-end", status: "failed", reason: "after 3 rounds" },
    ]),
  ]
  assert.deepEqual(states.map(endSummary), [
    "no valid plan (see the report for the problems)",
    "stopped by the user",
    "stopped by mission_stop",
    "the master review did not approve (see the report)",
  ])
  for (const summary of states.map(endSummary)) assert.doesNotMatch(summary, /\d|timeout|error|unavailable|overloaded|rate/i)
})
