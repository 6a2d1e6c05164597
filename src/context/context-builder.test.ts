import { test } from "node:test"
import assert from "node:assert/strict"
import type { MissionEvent, PlannedTask } from "../mission/mission-event.js"
import { foldEvents } from "../mission/mission-state.js"
import { buildContext } from "./context-builder.js"
import { tokenCounter } from "./token-count.js"

const task = (id: string, files: string[], dependsOn: string[] = []): PlannedTask => ({ id, title: `task ${id}`, description: "", acceptance: [], files, dependsOn })
const events: MissionEvent[] = [
  { type: "mission-start", missionId: "m-1", goal: "add stats", rootSessionId: "s", directory: "/p", verifyCommands: [] },
  { type: "plan-accept", attempt: 1, tasks: [task("A", ["src/a.js"]), task("B", ["src/b.js"]), task("C", ["src/c.js", "src/b.js"], ["A"]), task("D", ["src/d.js"])] },
  { type: "task-result", taskId: "A", attempt: 1, summary: "sum and mean in src/a.js", files: ["src/a.js"], symbols: ["sum", "mean"] },
  { type: "review-end", taskId: "B", attempt: 1, sessionId: "r", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ file: "src/b.js", message: "b must reject NaN" }] },
  { type: "review-end", taskId: "D", attempt: 1, sessionId: "r", modelVerdict: "reject", verdict: "reject", overruled: false, findings: [{ file: "src/d.js", message: "d is unrelated to C" }] },
  { type: "mission-amend", text: "keep every module dependency-free" },
]
const memory = foldEvents(events).memory
const forC = { taskId: "C", dependsOn: ["A"], files: ["src/c.js", "src/b.js"] }

test("core first, then the dependencies' results, then what concerns the task by weight; nothing unrelated", async () => {
  const count = await tokenCounter()
  const built = buildContext(memory, { ...forC, budget: 2000 }, count)
  assert.deepEqual(built.included, ["goal", "interface:A>C", "amendment:1", "result:A", "finding:B:1:1"])
  assert.deepEqual(built.omitted, [])
  assert.deepEqual(built.dependencies, ["result:A"])
  assert.match(built.text, /\[result:A\] A is done: sum and mean in src\/a\.js\. Files: src\/a\.js\. Exports: sum, mean\./)
  assert.doesNotMatch(built.text, /unrelated/)
  assert.equal(built.tokens, count(built.text))
})

test("within its budget, counted with the tokenizer; what does not fit is named with how to read it", async () => {
  const count = await tokenCounter()
  const full = buildContext(memory, { ...forC, budget: 2000 }, count)
  for (const budget of [60, 90, 120, 160]) {
    const built = buildContext(memory, { ...forC, budget }, count)
    assert.ok(built.tokens <= budget, `${built.tokens} <= ${budget}`)
    assert.deepEqual([...built.included, ...built.omitted].sort(), [...full.included].sort(), "every candidate is either shown or named")
    if (built.omitted.length) assert.match(built.text, new RegExp(`Not shown for lack of room \\(call memory_read with their ids to read them\\): ${built.omitted.join(", ")}`))
  }
  assert.ok(buildContext(memory, { ...forC, budget: 90 }, count).omitted.length > 0)
})

test("a finding the prompt already carries in its own words is not repeated", async () => {
  const count = await tokenCounter()
  const built = buildContext(memory, { taskId: "B", dependsOn: [], files: ["src/b.js"], budget: 2000, skip: (item) => item.id.startsWith("finding:B:1:") }, count)
  assert.ok(!built.included.includes("finding:B:1:1"))
  assert.ok(built.included.includes("goal"))
})
