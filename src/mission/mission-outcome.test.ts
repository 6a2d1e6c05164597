import { test } from "node:test"
import assert from "node:assert/strict"
import { applyEvent, initialState, type MissionState } from "./mission-state.js"
import type { MissionEvent, WorkspaceClosing } from "./mission-event.js"
import { missionOutcome, outcomeExitCodes, outcomeLine } from "./mission-outcome.js"

function ended(events: MissionEvent[]): MissionState {
  const start = initialState({ type: "mission-start", missionId: "m-1", goal: "g", rootSessionId: "s", directory: "/p", verifyCommands: ["npm test"] })
  const plan: MissionEvent = { type: "plan-accept", attempt: 1, tasks: ["A", "B"].map((id) => ({ id, title: id, description: "", acceptance: [], files: [], dependsOn: [] })) }
  return [plan, ...events].reduce(applyEvent, start)
}
const closing = (closed: Partial<WorkspaceClosing>): MissionEvent => ({ type: "workspace-close", landing: "branch", detail: "d", keptBranches: [], keptWorktrees: [], ...closed })

test("each way a mission ends has its own outcome and exit code, and a line that says what landed or where it is", () => {
  const sealed: MissionEvent = { type: "mission-end", status: "sealed", reason: "ok" }
  const landed = ended([sealed, closing({ landing: "fast-forward", landedCommits: ["abcdef1234567890"], landedFiles: ["src/a.js"] })])
  const kept = ended([sealed, closing({ landing: "branch", detail: "your HEAD moved during the mission", command: "git merge orchestrator/m-1", keptBranches: ["orchestrator/m-1"] })])
  const failed = ended([{ type: "task-fail", taskId: "A", reason: "x" }, { type: "mission-end", status: "failed", reason: "task A failed" }, closing({})])
  const paused = ended([{ type: "mission-pause", reason: "the model provider failed 4 times in a row" }])
  const stopped = ended([{ type: "task-start", taskId: "A", attempt: 1, sessionId: "w" }, { type: "task-stop", taskId: "A", reason: "aborted by the user" }, { type: "mission-end", status: "stopped", reason: "aborted by the user" }])
  const states = { landed, kept, failed, paused, stopped }
  for (const [name, state] of Object.entries(states)) assert.equal(missionOutcome(state), name)
  assert.equal(new Set(Object.keys(states).map((name) => outcomeExitCodes[name as keyof typeof states])).size, 5, "distinct exit codes")
  assert.equal(outcomeExitCodes.landed, 0)
  assert.ok(!Object.values(outcomeExitCodes).includes(1), "1 is the host's own")
  assert.match(outcomeLine(landed), /SEALED and LANDED: 1 commit\(s\) abcdef123456 in your checkout; files: src\/a\.js/)
  assert.match(outcomeLine(kept), /SEALED but NOT LANDED: your HEAD moved during the mission\. Kept on orchestrator\/m-1\. Take it with: git merge orchestrator\/m-1/)
  assert.match(outcomeLine(paused), /PAUSED: .*\/resume-mission m-1/)
  assert.match(outcomeLine(stopped), /STOPPED \(aborted by the user\); tasks stopped: A/)
  assert.equal(stopped.tasks[0]!.status, "stopped")
})
