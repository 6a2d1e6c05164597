import { test } from "node:test"
import assert from "node:assert/strict"
import type { MissionEvent, PlannedTask } from "../mission/mission-event.js"
import { foldEvents } from "../mission/mission-state.js"
import { weightOf, type MemoryState } from "./memory.js"

const start: MissionEvent = { type: "mission-start", missionId: "m-1", goal: "add stats", rootSessionId: "s", directory: "/p", verifyCommands: ["npm test"], memoryAlpha: 0.5 }
const task = (id: string, files: string[], dependsOn: string[] = []): PlannedTask => ({ id, title: `task ${id}`, description: "", acceptance: [], files, dependsOn })
const plan: MissionEvent = { type: "plan-accept", attempt: 1, tasks: [task("A", ["src/a.js"]), task("B", ["src/b.js"]), task("C", ["src/c.js"], ["A"])] }
const reject = (taskId: string, attempt: number, message: string, file?: string): MissionEvent => ({
  type: "review-end", taskId, attempt, sessionId: "r", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ message, ...(file ? { file } : {}) }],
})
const startTask = (taskId: string, attempt: number): MissionEvent => ({ type: "task-start", taskId, attempt, sessionId: `w-${taskId}` })
const weightIn = (memory: MemoryState, id: string) => {
  const item = memory.items.find((other) => other.id === id)
  return item && weightOf(memory, item)
}
const weight = (events: MissionEvent[], id: string) => weightIn(foldEvents([start, plan, ...events]).memory, id)

test("an unused item decays by exponential smoothing at every step; core items never do", () => {
  const events = [reject("B", 1, "handle empty input", "src/b.js"), startTask("A", 1), startTask("C", 1)]
  const memory = foldEvents([start, plan, ...events]).memory
  // Made at weight 1 by the review step (which decays it at once), then two more steps with no use: 1 → .5 → .25 → .125.
  assert.equal(weightIn(memory, "finding:B:1:1"), 0.125)
  for (const id of ["goal", "interface:A>C"]) {
    const item = memory.items.find((other) => other.id === id)!
    assert.ok(item.core, id)
    assert.equal(weightOf(memory, item), 1, id)
  }
  assert.equal(memory.step, 3)
})

test("an item used again is reinforced: the same file touched, the same finding repeated, a dependency read", () => {
  const finding = reject("B", 1, "handle empty input", "src/b.js")
  const unused = weight([finding, startTask("A", 1), startTask("B", 2)], "finding:B:1:1")!
  // Touching its file before the step.
  const touched = weight([finding, startTask("A", 1), { type: "work-submit", taskId: "B", attempt: 1, summary: "s", touchedFiles: ["src/b.js"] }, startTask("B", 2)], "finding:B:1:1")!
  assert.ok(touched > unused, `${touched} > ${unused}`)
  // The same finding said again (case and spacing aside) reinforces the first one; no second item.
  const repeated = foldEvents([start, plan, finding, startTask("B", 2), reject("B", 2, "Handle  empty input", "src/b.js")]).memory
  assert.equal(repeated.items.filter((item) => item.kind === "finding").length, 1)
  assert.ok(weightIn(repeated, "finding:B:1:1")! > weight([finding, startTask("B", 2), startTask("A", 1)], "finding:B:1:1")!)
  // A dependency's result read by the task building on it.
  const result: MissionEvent = { type: "task-result", taskId: "A", attempt: 1, summary: "wrote a", files: ["src/a.js"], symbols: ["a"] }
  const read: MissionEvent = { type: "context-build", role: "worker", taskId: "C", attempt: 1, included: ["result:A"], omitted: [], dependencies: ["result:A"], tokens: 10, budget: 100 }
  assert.ok(weight([result, read, startTask("C", 1)], "result:A")! > weight([result, startTask("C", 1)], "result:A")!)
})

test("the memory is a fold of the journal: the same events give the same memory (a resume restores it exactly)", () => {
  const events: MissionEvent[] = [
    startTask("A", 1),
    { type: "verify-end", taskId: "A", attempt: 1, evidence: [{ command: "npm test", exitCode: 1, timedOut: false, durationMs: 5, outputHead: "", outputTail: "1 failing" }] },
    reject("A", 1, "tests fail"),
    { type: "mission-amend", text: "never touch src/legacy" },
    { type: "master-review-end", round: 1, sessionId: "m", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ message: "README lacks usage" }] },
  ]
  const once = foldEvents([start, plan, ...events]).memory
  assert.deepEqual(foldEvents([start, plan, ...events]).memory, once)
  const kinds = Object.fromEntries(once.items.map((item) => [item.id, [item.kind, item.core]]))
  assert.deepEqual(kinds["amendment:1"], ["amendment", true])
  assert.deepEqual(kinds["master-decision:1:1"], ["master-decision", true])
  assert.deepEqual(kinds["verify-failure:A:1:1"], ["verify-failure", false])
  assert.match(once.items.find((item) => item.id === "verify-failure:A:1:1")!.text, /`npm test` exited 1: 1 failing/)
})
