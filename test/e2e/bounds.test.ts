import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import path from "node:path"
import { call, plan, say, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { explain, missionFolder, readJournalTypes, runTask, sampleProject } from "./e2e-fixture.js"

test("a reviewer that always rejects fails the task after maxReviewRounds, and the run ends by itself, non-zero", async () => {
  const project = sampleProject()
  // The finding holds words the host would retry on ("500", "timeout"); they must not reach the turn's error.
  const alwaysReject = { agent: "reviewer", replies: [call("submit_review", { verdict: "reject", findings: [{ message: "returns 500 on timeout" }] }), say("Rejected.")] }
  const onlyA = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  const run = await runTask(project, sumStatsScenario([onlyA, alwaysReject]), ["add", "a", "sum", "function"])

  assert.equal(run.timedOut, false, explain(run))
  assert.notEqual(run.exitCode, 0, explain(run))
  assert.match(run.output, /Mission failed: task A failed \(see the report for the findings\)/)
  assert.match(run.output, /run_mission mission failed · 0\/1 tasks approved · report: \.opencode\/orchestrator\/m-[^/]+\/report\.md/)

  const attempts = run.requests.filter((r) => r.agent === "worker" && r.step === 0).map((r) => r.attempt)
  assert.deepEqual(attempts, [1, 2, 3])
  const verdicts = run.requests.filter((r) => r.replyTools.some((t) => t.name === "submit_review"))
  assert.equal(verdicts.length, 3)
  assert.equal(run.requests.filter((r) => r.agent === "master-reviewer").length, 0)
  // Nothing reaches the model after the last review: the commander's next turn is stopped by code.
  assert.equal(run.requests.at(-1)!.agent, "reviewer", explain(run))

  const folder = missionFolder(project)
  assert.match(readFileSync(path.join(folder, "report.md"), "utf8"), /\*\*FAILED\*\*/)
  assert.match(readFileSync(path.join(folder, "TODO.md"), "utf8"), /- \[!\] \*\*A\*\*/)
  assert.deepEqual(readJournalTypes(project).slice(-2), ["mission-end", "workspace-close"])
})
