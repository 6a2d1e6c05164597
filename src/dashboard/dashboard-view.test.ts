import { test } from "node:test"
import assert from "node:assert/strict"
import type { JournalEntry, MissionEvent } from "../mission/mission-event.js"
import { foldEvents } from "../mission/mission-state.js"
import { plan } from "../demo/sum-stats-scenario.js"
import { dashboardView } from "./dashboard-view.js"

const journal = (events: MissionEvent[]): JournalEntry[] => events.map((event, index) => ({ ...event, v: 2, at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(), seq: index + 1 }))
const usage = (role: "worker" | "reviewer", session: string, input: number, cost: number): MissionEvent => ({ type: "usage-update", sessionId: session, role, taskId: "A", attempt: 1, tokens: { input, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost })
const passed = { command: "npm test", exitCode: 0, timedOut: false, durationMs: 5, outputHead: "", outputTail: "" }

const running: MissionEvent[] = [
  { type: "mission-start", missionId: "m-1", goal: "add stats", rootSessionId: "root", directory: "/p", verifyCommands: ["npm test"] },
  { type: "workspace-open", mode: "worktrees", branch: "orchestrator/m-1", base: "b", head: "b", uncommitted: "none", directory: "/p/.git/w" },
  { type: "plan-accept", attempt: 1, tasks: plan },
  { type: "task-start", taskId: "A", attempt: 1, sessionId: "a" },
  usage("worker", "a", 1000, 0.01),
  { type: "verify-end", taskId: "A", attempt: 1, evidence: [passed] },
  { type: "review-end", taskId: "A", attempt: 1, sessionId: "r", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ message: "no empty case", file: "src/sum.js" }] },
  usage("reviewer", "r", 400, 0.004),
]

test("the graph's columns follow the dependencies; each task has its timeline, spend by role, evidence and findings", () => {
  const entries = journal(running)
  const view = dashboardView(foldEvents(entries), entries)
  assert.deepEqual(view.tasks.map((task) => [task.id, task.layer, task.status]), [["A", 0, "working"], ["B", 0, "pending"], ["C", 1, "pending"]])
  const a = view.tasks[0]!
  assert.deepEqual(a.timeline.map((step) => [step.kind, step.attempt]), [["work", 1], ["verify", 1], ["review", 1]])
  assert.deepEqual(a.byRole, { worker: { tokens: 1000, cost: 0.01 }, reviewer: { tokens: 400, cost: 0.004 } })
  assert.deepEqual(a.spend, { tokens: 1400, cost: 0.014 })
  assert.deepEqual(a.evidence, [{ command: "npm test", outcome: "exit 0", exitCode: 0 }])
  assert.deepEqual(a.findings, ["src/sum.js: no empty case"])
  assert.equal(view.outcome, undefined)
})

test("a sealed mission's outcome is said only once its workspace is closed", () => {
  const ended: MissionEvent[] = [...running, { type: "mission-end", status: "failed", reason: "out of attempts" }]
  const before = journal(ended)
  assert.equal(dashboardView(foldEvents(before), before).outcome, undefined)
  const closed = journal([...ended, { type: "workspace-close", landing: "branch", detail: "kept on orchestrator/m-1", keptBranches: ["orchestrator/m-1"], keptWorktrees: [] }])
  const view = dashboardView(foldEvents(closed), closed)
  assert.equal(view.outcome, "failed")
  assert.match(view.outcomeLine!, /FAILED: out of attempts/)
})
