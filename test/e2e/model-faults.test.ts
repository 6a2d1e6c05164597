import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { call, goal, plan, say, sources, sumStatsScenario, workerRule } from "../../src/demo/sum-stats-scenario.js"
import { messageText } from "../../src/scripted-model/request-facts.js"
import type { ScriptedRule } from "../../src/scripted-model/scenario.js"
import { seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { runHost } from "../../src/testing/run-host.js"
import { eventsOf, explain, missionFolder, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

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

test("a 429 window: the model's slots halve and hold for Retry-After, then grow back; the report shows it", async () => {
  const project = sampleProject()
  const rateLimited: ScriptedRule = { agent: "worker", task: "A", maxUses: 2, replies: [{ error: { status: 429, message: "rate limited", retryAfterSeconds: 2 } }] }
  const run = await runTask(project, sumStatsScenario([rateLimited]), goal.split(" "))
  assert.equal(run.exitCode, 0, explain(run))
  const changes = eventsOf(project, "slots-update")
  const held = changes.find((change) => change.reason === "retry-after")
  assert.ok(held, `no retry-after in ${JSON.stringify(changes)}`)
  // Halved from the default concurrency of 3, and held for about the host's wait.
  assert.equal(held.slots, 1, JSON.stringify(changes))
  // Until the host's next try: about Retry-After past the 429 it was given.
  const refused = run.requests.find((request) => request.agent === "worker" && request.task === "A")!
  assert.ok(held.until! - refused.endedAt! >= 1500, `held until ${held.until}, the 429 answered at ${refused.endedAt}`)
  // AIMD: each Retry-After halves them (or, within the cooldown of the last one, only holds longer);
  // each success window gives one back; at the end they are back at 3. One change per 429 at most.
  let previous = 3
  for (const change of changes) {
    if (change.reason === "success") assert.equal(change.slots, previous + 1, JSON.stringify(changes))
    else {
      assert.equal(change.reason, "retry-after", JSON.stringify(changes))
      assert.ok(change.slots === previous || change.slots === Math.max(1, Math.floor(previous / 2)), JSON.stringify(changes))
    }
    previous = change.slots
  }
  assert.equal(previous, 3, JSON.stringify(changes))
  assert.ok(changes.filter((change) => change.reason === "retry-after").length <= 2, JSON.stringify(changes))
  // No retry storm: the host retried the one request twice, as the 429s asked, and nothing else failed.
  assert.equal(run.requests.filter((request) => request.agent === "worker" && request.task === "A" && request.step === 0).length, 3, explain(run))
  const report = readFileSync(path.join(missionFolder(project), "report.md"), "utf8")
  assert.match(report, /## Model slots\n\n.*\n\n- \(agent model\): 1 \(retry-after\) → .*3 \(success\)\n/)
})

test("a model that stalls every time: each try ends at its time budget, the mission pauses instead of spinning, and resumes later", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ budget: { seconds: 8, toolCalls: 50 }, faults: { backoffSeconds: 0.2, pauseAfter: 2 } }))
  const onlyA: ScriptedRule = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  const stalling: ScriptedRule = { agent: "worker", replies: [{ text: "thinking", fault: "stall" }] }
  const paused = await runTask(project, sumStatsScenario([onlyA, stalling]), ["add", "a", "sum"])
  assert.equal(paused.exitCode, 4, `paused has its own exit code\n${explain(paused)}`)
  assert.match(paused.output, /PAUSED: the model provider failed 2 times in a row.* Go on with \/resume-mission m-/)
  const [pause] = eventsOf(project, "mission-pause")
  assert.match(pause!.reason, /the model provider failed 2 times in a row; last: the worker was aborted: the time budget of 8 s was spent/)
  assert.equal(requestsOf(paused, "worker"), 2, "two tries, then the pause: no retry storm")

  const resumed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario([onlyA]), args: ["--command", "resume-mission"], timeoutMs: 120_000 })
  assert.equal(resumed.exitCode, 0, explain(resumed))
  assert.equal(eventsOf(project, "task-approve")[0]?.attempt, 1, "the paused attempt was not counted against the task")
  assert.equal(readFileSync(path.join(project, "src", "sum.js"), "utf8"), sources.sum)
})

const requestsOf = (hostRun: { requests: Array<{ agent?: string }> }, agent: string) => hostRun.requests.filter((request) => request.agent === agent).length
