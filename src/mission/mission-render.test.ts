import { test } from "node:test"
import assert from "node:assert/strict"
import type { MissionEvent } from "./mission-event.js"
import { foldEvents } from "./mission-state.js"
import { renderReport } from "./report-render.js"
import { progressLine, renderTodo } from "./todo-render.js"

const usage = (input: number, output: number) => ({ input, output, reasoning: 0, cacheRead: 0, cacheWrite: 0 })
const task = (id: string, dependsOn: string[] = []) => ({ id, title: `Do ${id}`, description: "", acceptance: [], files: [`${id}.js`], dependsOn })

const events: MissionEvent[] = [
  { type: "mission-start", missionId: "m1", goal: "add sums", rootSessionId: "ses_root", directory: "/p", verifyCommands: ["npm test"] },
  { type: "plan-reject", attempt: 1, problems: ["dependency cycle: A -> B -> A"] },
  { type: "plan-accept", attempt: 2, tasks: [task("A"), task("B"), task("C", ["A", "B"])] },
  { type: "task-start", taskId: "A", attempt: 1, sessionId: "ses_a" },
  { type: "task-start", taskId: "B", attempt: 1, sessionId: "ses_b" },
  { type: "work-submit", taskId: "A", attempt: 1, summary: "done", touchedFiles: ["A.js"] },
  { type: "review-end", taskId: "A", attempt: 1, sessionId: "ses_r", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ message: "handle negatives", file: "A.js" }] },
  { type: "task-start", taskId: "A", attempt: 2, sessionId: "ses_a" },
  { type: "task-approve", taskId: "B", attempt: 1 },
  { type: "usage-update", sessionId: "ses_a", role: "worker", taskId: "A", attempt: 1, tokens: usage(100, 10), cost: 0.01 },
  { type: "usage-update", sessionId: "ses_b", role: "worker", taskId: "B", attempt: 1, tokens: usage(50, 5), cost: 0.005 },
  { type: "usage-update", sessionId: "ses_r", role: "reviewer", taskId: "A", attempt: 1, tokens: usage(40, 2), cost: 0.002 },
  { type: "usage-update", sessionId: "ses_a", role: "worker", taskId: "A", attempt: 2, tokens: usage(300, 20), cost: 0.03 },
]

test("TODO.md shows each task's state, dependencies, attempts and open findings", () => {
  const todo = renderTodo(foldEvents(events))
  assert.match(todo, /Status: \*\*running\*\* · round 1 · 1\/3 tasks approved/)
  assert.match(todo, /- \[~\] \*\*A\*\* Do A \(attempt 2 · working\)\n  - files: `A.js`\n  - finding: `A.js`: handle negatives/)
  assert.match(todo, /- \[x\] \*\*B\*\* Do B \(attempt 1\)/)
  assert.match(todo, /- \[ \] \*\*C\*\* Do C \(after A, B\)/)
})

test("TODO.md is a function of state: the same events render the same bytes", () => {
  assert.equal(renderTodo(foldEvents(events)), renderTodo(foldEvents([...events])))
})

test("usage updates are a session's running totals: each attempt is charged what its session added; the report sums by role, task and attempt", () => {
  const state = foldEvents([...events, { type: "mission-end", status: "failed", reason: "task A failed" }])
  const report = renderReport(state)
  assert.match(report, /\*\*FAILED\*\*: task A failed/)
  assert.match(report, /Total: 417 tokens · \$0\.0370\./)
  assert.match(report, /\| worker \| 350 \| 0 \| 0 \| 25 \| 0 \| 0\.0350 \|/)
  assert.match(report, /\| reviewer \| 40 \| 0 \| 0 \| 2 \| 0 \| 0\.0020 \|/)
  assert.match(report, /\| A \| worker \| 300 \| 0 \| 0 \| 20 \| 0 \| 0\.0300 \|/)
  // Attempt 2 of A is charged 200 + 10 (its session's totals went from 110 to 320), attempt 1 gets 110 + the review's 42.
  assert.match(report, /\| A \| 1 \| 152 \| 0\.0120 \|/)
  assert.match(report, /\| A \| 2 \| 210 \| 0\.0200 \|/)
  assert.match(report, /- A: A.js: handle negatives/)
  assert.match(report, /\| B Do B \| approved \| 1 \| 1 \| — \|/)
  assert.equal(progressLine(state), "mission failed · 1/3 tasks approved · 417 tokens · $0.0370")
})
