import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { call, goal, plan, say, sources, sumStatsScenario, workerRule } from "../../src/demo/sum-stats-scenario.js"
import { messageText } from "../../src/scripted-model/request-facts.js"
import type { ScriptedRule } from "../../src/scripted-model/scenario.js"
import { seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { runHost } from "../../src/testing/run-host.js"
import { eventsOf, explain, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

test("model faults: a 429 with Retry-After is retried by the host, malformed SSE is retried by the engine, bad tool calls get errors back", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ faults: { backoffSeconds: 0.5 } }))
  const rateLimited: ScriptedRule = { agent: "worker", task: "A", maxUses: 2, replies: [{ error: { status: 429, message: "rate limited", retryAfterSeconds: 1 } }] }
  const malformed: ScriptedRule = { agent: "worker", task: "B", maxUses: 1, replies: [{ text: "x", fault: "malformed-sse" }] }
  const clumsy: ScriptedRule = {
    agent: "worker",
    task: "C",
    replies: [
      { tools: [{ name: "write", args: {}, rawArguments: '{"filePath": "src/sta' }] },
      call("teleport", { to: "mars" }),
      ...workerRule("C", [["src/stats.js", sources.stats], ["test/stats.test.js", sources.statsTest]]).replies,
    ],
  }
  const run = await runTask(project, sumStatsScenario([rateLimited, malformed, clumsy]), goal.split(" "))
  assert.equal(run.exitCode, 0, explain(run))

  // A: the host retried the same request after the 429s, then got its answer; the engine saw nothing.
  const firstOfA = run.requests.filter((request) => request.agent === "worker" && request.task === "A" && request.step === 0)
  assert.equal(firstOfA.length, 3, explain(run))
  assert.ok(firstOfA[1]!.startedAt - firstOfA[0]!.endedAt! >= 900, "the host waited for Retry-After")
  // B: the host failed the turn at once; the engine got it as a value and ran the same attempt again.
  const missing = eventsOf(project, "work-missing")
  assert.equal(missing.length, 1)
  assert.match(missing[0]!.reason, /task|worker session failed: .*JSON/i)
  assert.equal(missing[0]!.taskId, "B")
  assert.deepEqual(eventsOf(project, "task-approve").map((entry) => `${entry.taskId}@${entry.attempt}`).sort(), ["A@1", "B@1", "C@1"])
  // C: the truncated arguments and the unknown tool came back to the model as tool errors.
  const lastOfC = run.requests.filter((request) => request.agent === "worker" && request.task === "C").at(-1)!
  const results = lastOfC.messages.filter((message) => message.role === "tool").map(messageText)
  assert.ok(results.length >= 2)
  assert.match(results[0]!, /error|invalid|JSON/i)
  assert.match(results[1]!, /teleport|unavailable|not|invalid/i)
  assert.equal(eventsOf(project, "mission-end")[0]?.status, "sealed")
})

test("a model that stalls every time: each try ends at its time budget, the mission pauses instead of spinning, and resumes later", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ budget: { seconds: 3, toolCalls: 50 }, faults: { backoffSeconds: 0.2, pauseAfter: 2 } }))
  const onlyA: ScriptedRule = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  const stalling: ScriptedRule = { agent: "worker", replies: [{ text: "thinking", fault: "stall" }] }
  const paused = await runTask(project, sumStatsScenario([onlyA, stalling]), ["add", "a", "sum"])
  assert.equal(paused.exitCode, 4, `paused has its own exit code\n${explain(paused)}`)
  assert.match(paused.output, /PAUSED: the model provider failed 2 times in a row.* Go on with \/resume-mission m-/)
  const [pause] = eventsOf(project, "mission-pause")
  assert.match(pause!.reason, /the model provider failed 2 times in a row; last: the worker was aborted: the time budget of 3 s was spent/)
  assert.equal(requestsOf(paused, "worker"), 2, "two tries, then the pause: no retry storm")

  const resumed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario([onlyA]), args: ["--command", "resume-mission"], timeoutMs: 120_000 })
  assert.equal(resumed.exitCode, 0, explain(resumed))
  assert.equal(eventsOf(project, "task-approve")[0]?.attempt, 1, "the paused attempt was not counted against the task")
  assert.equal(readFileSync(path.join(project, "src", "sum.js"), "utf8"), sources.sum)
})

const requestsOf = (hostRun: { requests: Array<{ agent?: string }> }, agent: string) => hostRun.requests.filter((request) => request.agent === agent).length
