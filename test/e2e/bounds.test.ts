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
  assert.equal(run.exitCode, 3, `failed has its own exit code\n${explain(run)}`)
  assert.match(run.output, /run_mission Mission m-\S+ FAILED: task A failed: rejected in all 3 review rounds; last finding: returns 500 on timeout\. .*Report: \.opencode\/orchestrator\/m-[^/]+\/report\.md/)

  const attempts = run.requests.filter((r) => r.agent === "worker" && r.step === 0).map((r) => r.attempt)
  assert.deepEqual(attempts, [1, 2, 3])
  const verdicts = run.requests.filter((r) => r.replyTools.some((t) => t.name === "submit_review"))
  assert.equal(verdicts.length, 3)
  assert.equal(run.requests.filter((r) => r.agent === "master-reviewer").length, 0)
  // After the last review only the commander's one closing request: a failed or aborted turn would
  // force the host's exit code 1, so the outcome's own code costs that one request; no more work starts.
  const lastReview = run.requests.map((r) => r.agent).lastIndexOf("reviewer")
  assert.deepEqual(run.requests.slice(lastReview + 1).map((r) => r.agent), ["commander"], explain(run))

  const folder = missionFolder(project)
  assert.match(readFileSync(path.join(folder, "report.md"), "utf8"), /\*\*FAILED\*\*/)
  assert.match(readFileSync(path.join(folder, "TODO.md"), "utf8"), /- \[!\] \*\*A\*\*/)
  // The commander's own last steps are recorded after the end.
  assert.deepEqual(readJournalTypes(project).filter((type) => type !== "usage-update").slice(-2), ["mission-end", "workspace-close"])
})
