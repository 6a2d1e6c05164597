import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import path from "node:path"
import { call, plan, say, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { eventsOf, explain, runTask, sampleProject } from "./e2e-fixture.js"

const sleeper = "sleep 4242"
const sleepers = () => execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n").filter((line) => line.trim() === sleeper)

test("a worker stuck in an endless tool loop, and one whose bash sleeps forever, are aborted at their budgets", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ maxReviewRounds: 1, budget: { seconds: 6, toolCalls: 4 } }))
  const twoTasks = { agent: "planner", replies: [call("submit_plan", { tasks: plan.slice(0, 2) }), say("Plan submitted.")] }
  const looping = { agent: "worker", task: "A", replies: Array.from({ length: 40 }, () => call("read", { filePath: "README.md" })) }
  const sleeping = { agent: "worker", task: "B", replies: [call("shell", { command: sleeper, timeout: 600_000 }), say("woke up")] }
  const run = await runTask(project, sumStatsScenario([twoTasks, looping, sleeping]), ["loop", "and", "sleep"])
  assert.equal(run.exitCode, 3, explain(run))
  const reasons = Object.fromEntries(eventsOf(project, "task-fail").map((fail) => [fail.taskId, fail.reason]))
  assert.match(reasons.A ?? "", /the worker was aborted: the tool-call budget of 4 calls was spent/)
  assert.match(reasons.B ?? "", /the worker was aborted: the time budget of 6 s was spent/)
  const loopRequests = run.requests.filter((request) => request.agent === "worker" && request.task === "A")
  assert.ok(loopRequests.length <= 6, `the loop ran on after its budget: ${loopRequests.length} requests`)
  assert.deepEqual(sleepers(), [], "the aborted bash left no process behind")
})
