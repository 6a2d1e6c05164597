import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import path from "node:path"
import { call, plan, say, sources, sumStatsScenario, workerRule } from "../../src/demo/sum-stats-scenario.js"
import { eventsOf, explain, runTask, sampleProject } from "./e2e-fixture.js"

const onlyA = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }

test("a reviewer's rejection reaches the same worker session, which fixes it and is approved", async () => {
  const finding = "sum must be covered by a test for an empty list"
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario([
    onlyA,
    { agent: "reviewer", task: "A", attempt: 1, replies: [call("submit_review", { verdict: "reject", findings: [{ message: finding, file: "test/sum.test.js" }] }), say("Rejected.")] },
  ]), ["add", "a", "sum", "function"])
  assert.equal(run.exitCode, 0, explain(run))

  const secondAttempt = run.requests.find((r) => r.agent === "worker" && r.task === "A" && r.attempt === 2 && r.step === 0)
  assert.ok(secondAttempt, explain(run))
  assert.match(secondAttempt.lastUserText, new RegExp(`test/sum.test.js: ${finding}`))
  const firstAttempt = run.requests.find((r) => r.agent === "worker" && r.task === "A" && r.attempt === 1)!
  assert.equal(secondAttempt.sessionId, firstAttempt.sessionId, "the retry goes to the same worker session")
  const reviews = eventsOf(project, "review-end")
  assert.deepEqual(reviews.map((e) => e.verdict), ["reject", "approve"])
})

test("failing evidence overrules a reviewer's approve; the worker fixes the code in the next round", async () => {
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario([
    onlyA,
    workerRule("A", [["src/sum.js", sources.sumBroken], ["test/sum.test.js", sources.sumTest]], { attempt: 1 }),
    workerRule("A", [["src/sum.js", sources.sum]], { attempt: 2 }),
  ]), ["add", "a", "sum", "function"])
  assert.equal(run.exitCode, 0, explain(run))

  const reviews = eventsOf(project, "review-end")
  assert.equal(reviews.length, 2)
  assert.deepEqual([reviews[0]!.modelVerdict, reviews[0]!.verdict, reviews[0]!.overruled], ["approve", "reject", true])
  assert.deepEqual([reviews[1]!.verdict, reviews[1]!.overruled], ["approve", false])
  const verifications = eventsOf(project, "verify-end").filter((e) => e.taskId === "A")
  assert.deepEqual(verifications.map((e) => e.evidence[0]!.exitCode), [1, 0], "the real npm test failed, then passed")

  const retry = run.requests.find((r) => r.agent === "worker" && r.task === "A" && r.attempt === 2 && r.step === 0)!
  assert.match(retry.lastUserText, /verification `npm test` exited with code 1/)
  assert.equal(readFileSync(path.join(project, "src/sum.js"), "utf8"), sources.sum)
})
