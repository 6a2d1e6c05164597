import { test } from "node:test"
import assert from "node:assert/strict"
import { call, plan, say, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { explain, readJournalTypes, runTask, sampleProject } from "./e2e-fixture.js"

test("bad arguments and a cyclic plan go back to the planner as errors; the corrected plan runs to a seal", async () => {
  const cyclic = [
    { ...plan[0], dependsOn: ["B"] },
    { ...plan[1], dependsOn: ["A"] },
  ]
  const planner = {
    agent: "planner",
    replies: [call("submit_plan", { tasks: "A then B" }), call("submit_plan", { tasks: cyclic }), call("submit_plan", { tasks: plan.slice(0, 2) }), say("Plan submitted.")],
  }
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario([planner]), ["add", "sum", "and", "product"])
  assert.equal(run.exitCode, 0, explain(run))

  const toolResults = (step: number) =>
    run.requests.find((r) => r.agent === "planner" && r.step === step)!.messages.filter((m) => m.role === "tool").map((m) => JSON.stringify(m.content))
  // Arguments the schema refuses never reach the mission: the host's error goes back, nothing is counted.
  assert.match(toolResults(1).at(-1)!, /invalid/i)
  assert.match(toolResults(2).at(-1)!, /dependency cycle: A -> B -> A/)
  const types = readJournalTypes(project)
  assert.deepEqual(types.filter((t) => t.startsWith("plan-")), ["plan-reject", "plan-accept"])
  assert.equal(types.filter((t) => t === "task-approve").length, 2)
})
