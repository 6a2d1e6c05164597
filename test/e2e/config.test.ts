import { test } from "node:test"
import { allOurTools } from "../../src/agents/agents.js"
import assert from "node:assert/strict"
import { writeFileSync } from "node:fs"
import path from "node:path"
import { call, plan, say, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { runHost } from "../../src/testing/run-host.js"
import { explain, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

test("orchestrator.json is honoured: concurrency 1 runs tasks one by one, and a role's model is used", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ concurrency: 1, roles: { reviewer: { model: "scripted/alternate" } } }))
  const twoTasks = { agent: "planner", replies: [call("submit_plan", { tasks: plan.slice(0, 2) }), say("Plan submitted.")] }
  const run = await runTask(project, sumStatsScenario([twoTasks]), ["add", "sum", "and", "product"])
  assert.equal(run.exitCode, 0, explain(run))

  const spans = (task: string) => {
    const requests = run.requests.filter((r) => r.task === task && (r.agent === "worker" || r.agent === "reviewer"))
    return { start: Math.min(...requests.map((r) => r.startedAt)), end: Math.max(...requests.map((r) => r.endedAt!)) }
  }
  const [a, b] = [spans("A"), spans("B")]
  assert.ok(a.end <= b.start || b.end <= a.start, `A and B overlapped with concurrency 1\n${explain(run)}`)

  const modelsOf = (agent: string) => [...new Set(run.requests.filter((r) => r.agent === agent).map((r) => r.model))]
  assert.deepEqual(modelsOf("reviewer"), ["alternate"])
  assert.deepEqual(modelsOf("worker"), ["model"])
})

test("the user's own default agent is not offered our tools, nor our subagents to delegate to", async () => {
  const run = await runHost({ project: sampleProject(), home: sharedHome(), scenario: { rules: [], fallback: { text: "hi" } }, args: ["hello"], timeoutMs: 60_000 })
  assert.equal(run.exitCode, 0, explain(run))
  const offered = run.requests.find((r) => r.agent === "default")!.toolNames
  assert.ok(offered.includes("read") && offered.includes("bash"), offered.join())
  for (const tool of allOurTools)
    assert.ok(!offered.includes(tool), `default agent offered ${tool}`)
  const taskTool = JSON.parse(run.requests.find((r) => r.agent === "default")!.toolsJson).find((t: { function: { name: string } }) => t.function.name === "task")
  const listed = JSON.stringify(taskTool)
  assert.match(listed, /- general: /, "the host's own subagents are still listed")
  for (const role of ["planner", "worker", "reviewer", "master-reviewer"]) assert.doesNotMatch(listed, new RegExp(`- ${role}: `))
})
