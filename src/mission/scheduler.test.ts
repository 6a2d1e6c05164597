import { test } from "node:test"
import assert from "node:assert/strict"
import type { TaskState, TaskStatus } from "./mission-state.js"
import { blockedTasks, filesOverlap, planWidth, remainingPaths, selectReadyTasks } from "./scheduler.js"

const task = (id: string, dependsOn: string[] = [], files = [`${id}.js`], status: TaskStatus = "pending"): TaskState => ({
  id, title: id, description: "", acceptance: [], files, dependsOn, status,
  attempts: 0, round: 1, touchedFiles: [], findings: [], evidence: [], cost: { createMs: 0, prepareMs: 0, mergeMs: 0 }, memoryShown: [],
})
const ids = (tasks: TaskState[]) => tasks.map((t) => t.id)

test("independent tasks start together; a dependent waits for approval", () => {
  const tasks = [task("A"), task("B"), task("C", ["A", "B"])]
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(), 3)), ["A", "B"])
  const oneApproved = [task("A", [], ["A.js"], "approved"), task("B", [], ["B.js"], "working"), task("C", ["A", "B"])]
  assert.deepEqual(ids(selectReadyTasks(oneApproved, new Set(["B"]), 3)), [])
  const bothApproved = [task("A", [], ["A.js"], "approved"), task("B", [], ["B.js"], "approved"), task("C", ["A", "B"])]
  assert.deepEqual(ids(selectReadyTasks(bothApproved, new Set(), 3)), ["C"])
})

test("the concurrency limit counts running tasks", () => {
  const tasks = [task("A", [], ["A.js"], "working"), task("B"), task("C"), task("D")]
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(["A"]), 2)), ["B"])
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(["A"]), 1)), [])
})

test("tasks sharing a file never run together in a shared tree", () => {
  const tasks = [task("A", [], ["src/x.js"]), task("B", [], ["src/x.js", "b.js"]), task("C", [], ["src"]), task("D", [], ["d.js"])]
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(), 4)), ["A", "D"])
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(), 4, false)), ["A", "B", "C", "D"])
})

test("a task that declares no files runs alone", () => {
  assert.equal(filesOverlap({ files: [] }, { files: ["a"] }), true)
  const tasks = [task("A"), task("B", [], [])]
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(), 4)), ["A"])
})

test("folders overlap their files, siblings do not", () => {
  assert.equal(filesOverlap({ files: ["src/"] }, { files: ["./src/a.ts"] }), true)
  assert.equal(filesOverlap({ files: ["src/a"] }, { files: ["src/ab"] }), false)
})

test("tasks behind a failed dependency are blocked, transitively", () => {
  const tasks = [task("A", [], ["a"], "failed"), task("B", ["A"]), task("C", ["B"]), task("D")]
  assert.deepEqual(ids(blockedTasks(tasks)), ["B", "C"])
})

test("the task on the longest remaining path starts first, then plan order", () => {
  // A alone; B → C → D a chain; E → F. With one slot B goes first, then E (path 2), then A.
  const tasks = [task("A"), task("B"), task("C", ["B"]), task("D", ["C"]), task("E"), task("F", ["E"])]
  assert.deepEqual(Object.fromEntries(remainingPaths(tasks)), { A: 1, B: 3, C: 2, D: 1, E: 2, F: 1 })
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(), 1)), ["B"])
  assert.deepEqual(ids(selectReadyTasks(tasks, new Set(), 3)), ["B", "E", "A"])
  // Finished work no longer lengthens a path.
  const later = [task("A"), task("B", [], ["B.js"], "approved"), task("C", ["B"], ["C.js"], "approved"), task("D", ["C"]), task("E")]
  assert.equal(remainingPaths(later).get("B"), 1)
  assert.deepEqual(ids(selectReadyTasks(later, new Set(), 1)), ["A"])
})

test("a plan's width: the most tasks that can ever run at once, within the limit", () => {
  const plan = (edges: Record<string, string[]>) => Object.entries(edges).map(([id, dependsOn]) => ({ id, dependsOn }))
  assert.equal(planWidth(plan({ A: [], B: ["A"], C: ["B"] }), 8), 1, "a chain runs one at a time")
  assert.equal(planWidth(plan({ A: [], B: [], C: [], D: [], E: [] }), 8), 5)
  assert.equal(planWidth(plan({ A: [], B: [], C: [], D: [], E: [] }), 3), 3, "never more than the limit")
  assert.equal(planWidth(plan({ A: [], B: ["A"], C: ["A"], D: ["B", "C"] }), 8), 2, "a diamond")
  // Tasks of different depths run together too: B and D after A, and C alone at the start.
  assert.equal(planWidth(plan({ A: [], B: ["A"], D: ["A"], C: [] }), 8), 3)
  // Waiting through another task counts: C waits on A through B, so A and C never run together.
  assert.equal(planWidth(plan({ A: [], B: ["A"], C: ["B"], X: ["A"], Y: ["X"] }), 8), 2)
  assert.equal(planWidth([], 8), 0)
  // Four layers of 30 tasks, each after one of the layer before (as in bench:schedule): the widest layer and more.
  const ids = Array.from({ length: 30 }, (_, index) => `T${index + 1}`)
  const layerOf = (index: number) => Math.floor((index * 4) / 30)
  const layered = ids.map((id, index) => {
    const before = ids.filter((_, other) => layerOf(other) === layerOf(index) - 1)
    return { id, dependsOn: before.length ? [before[index % before.length]!] : [] }
  })
  assert.ok(planWidth(layered, 64) >= 8)
  assert.equal(planWidth(layered, 8), 8)
})
