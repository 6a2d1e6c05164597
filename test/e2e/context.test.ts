import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { approveMission, approveReview, call, goal, plan, say, sources, sumStatsScenario, write } from "../../src/demo/sum-stats-scenario.js"
import { messageText } from "../../src/scripted-model/request-facts.js"
import type { LoggedRequest } from "../../src/scripted-model/server.js"
import type { ScriptedRule } from "../../src/scripted-model/scenario.js"
import { runHost } from "../../src/testing/run-host.js"
import { eventsOf, explain, missionFolder, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

// Issue 14 on the real host: what each child sees is chosen, bounded, cache-safe and kept through compaction.

const commit = (project: string, message: string) => {
  execFileSync("git", ["add", "-A"], { cwd: project })
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", message], { cwd: project })
}
const userTexts = (request: LoggedRequest) => request.messages.filter((message) => message.role === "user").map(messageText).join("\n")
/** What a request costs in input tokens: its messages and tool schemas, counted with o200k. */
const requestTokens = (request: LoggedRequest) => countTokens(JSON.stringify(request.messages)) + countTokens(request.toolsJson)

test("a worker's consecutive requests keep the previous one's bytes as their prefix; a dependent task is handed its dependencies' results", async () => {
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario(), goal.split(" "))
  assert.equal(run.exitCode, 0, explain(run))
  const bySession = new Map<string, LoggedRequest[]>()
  for (const request of run.requests.filter((item) => item.agent === "worker")) bySession.set(`${request.sessionId}@${request.attempt}`, [...(bySession.get(`${request.sessionId}@${request.attempt}`) ?? []), request])
  let pairs = 0
  for (const [session, requests] of bySession)
    for (let index = 1; index < requests.length; index++) {
      const before = requests[index - 1]!.messages
      const now = requests[index]!.messages
      assert.ok(now.length > before.length, session)
      before.forEach((message, at) => assert.equal(JSON.stringify(now[at]), JSON.stringify(message), `${session}: request ${index} changed message ${at}`))
      pairs++
    }
  assert.ok(pairs >= 6, `${pairs} consecutive pairs checked`)

  // C builds on A and B: its first message carries what they produced, public symbols included.
  const firstOfC = run.requests.find((request) => request.agent === "worker" && request.task === "C")!
  const told = userTexts(firstOfC)
  assert.match(told, /\[result:A\] A is done: Wrote src\/sum\.js, test\/sum\.test\.js.* Files: src\/sum\.js, test\/sum\.test\.js\. Exports: sum\./)
  assert.match(told, /\[result:B\] B is done: .* Exports: product\./)
  assert.match(told, /\[interface:A>C\] C builds on A: Sum function/)
  const builds = eventsOf(project, "context-build").filter((build) => build.role === "worker" && build.taskId === "C")
  assert.deepEqual(builds[0]?.dependencies.sort(), ["result:A", "result:B"])
  assert.deepEqual(eventsOf(project, "task-result").find((result) => result.taskId === "A")?.symbols, ["sum"])
})

test("the host compacts a worker mid-attempt: the compaction is given the task, and the request after it still holds the task and its acceptance", async () => {
  const project = sampleProject()
  // A file whose reading overflows the model's small context.
  mkdirSync(path.join(project, "docs"))
  writeFileSync(path.join(project, "docs", "notes.txt"), Array.from({ length: 1500 }, (_, index) => `note ${index}: ${"background ".repeat(8)}`).join("\n"))
  commit(project, "notes")
  const task = plan.find((item) => item.id === "C")!
  const rules: ScriptedRule[] = [
    // After the compaction: the host's "Continue if you have next steps…" message.
    { agent: "worker", task: "C", when: "Continue if you have next steps", replies: [write("test/stats.test.js", sources.statsTest), call("submit_work", { summary: "stats with tests" }), say("Submitted.")] },
    { agent: "worker", task: "C", replies: [call("read", { filePath: "docs/notes.txt" }), write("src/stats.js", sources.stats), say("Reading done.")] },
  ]
  const run = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(rules), args: ["--command", "task", ...goal.split(" ")], timeoutMs: 200_000, contextLimit: 24_000 })
  assert.equal(run.exitCode, 0, explain(run))
  const compaction = run.requests.find((request) => request.agent === "default" && request.task === "C")
  assert.ok(compaction, `a compaction request for C's session\n${explain(run)}`)
  const asked = messageText(compaction.messages[compaction.messages.length - 1]!)
  assert.match(asked, /The orchestrator's brief for this worker session/, "our hook's context went into the compaction prompt")
  const after = run.requests.find((request) => request.index > compaction.index && request.agent === "worker" && request.task === "C")
  assert.ok(after, explain(run))
  const told = userTexts(after)
  assert.ok(told.includes("Continue if you have next steps"), "it is the request after the compaction")
  assert.ok(told.includes(task.description), told)
  for (const criterion of task.acceptance) assert.ok(told.includes(criterion), `acceptance "${criterion}" after the compaction`)
  assert.match(told, /The orchestrator's brief for this worker session \(kept through compaction\)\.\nTask C · attempt 1/)
  assert.equal(readFileSync(path.join(project, "src", "stats.js"), "utf8"), sources.stats)
  assert.ok(eventsOf(project, "session-compact").some((event) => event.role === "worker" && event.taskId === "C"), "the journal records the compaction")
  assert.match(readFileSync(path.join(missionFolder(project), "report.md"), "utf8"), /Compacted child sessions: [1-9]/)
})

test("a 200 KB change: the review and master requests stay within 24k tokens, the task's own hunks inside and the rest named", async () => {
  const project = sampleProject()
  const single = [{ id: "A", title: "Sum function", description: "src/sum.js exports sum(values); the data tables are generated.", acceptance: ["sum([1,2,3]) is 6"], files: ["src/sum.js"], dependsOn: [] }]
  // 40 generated files of about 5 KB each: a 200 KB change made by one small command.
  const generate = `mkdir -p data && for i in $(seq 1 40); do for j in $(seq 1 60); do echo "export const row_$j = \\"$(printf 'cell%.0s ' $(seq 1 12))$i\\""; done > data/table$i.js; done`
  const rules: ScriptedRule[] = [
    { agent: "commander", replies: [call("run_mission", { goal: "sum with generated tables" }), say("Done.")] },
    { agent: "planner", replies: [call("submit_plan", { tasks: single }), say("Planned.")] },
    { agent: "worker", task: "A", replies: [write("src/sum.js", sources.sum), call("shell", { command: generate }), call("submit_work", { summary: "sum and tables" }), say("Submitted.")] },
    approveReview,
    approveMission,
  ]
  const run = await runTask(project, { rules, fallback: { text: "Done." } }, ["sum", "with", "tables"])
  assert.equal(run.exitCode, 0, explain(run))
  const diffSize = execFileSync("git", ["diff", "HEAD~1", "HEAD"], { cwd: project, encoding: "utf8" }).length
  assert.ok(diffSize > 200_000, `the change is ${diffSize} bytes`)
  for (const agent of ["reviewer", "master-reviewer"]) {
    const requests = run.requests.filter((request) => request.agent === agent)
    assert.ok(requests.length > 0, agent)
    for (const request of requests) assert.ok(requestTokens(request) <= 24_000, `${agent} request ${request.index}: ${requestTokens(request)} tokens`)
    const told = userTexts(requests[0]!)
    assert.match(told, /^Changed: 41 files, \+2403 -0$/m)
    assert.ok(told.indexOf("+++ b/src/sum.js") >= 0 && told.indexOf("+++ b/src/sum.js") < told.indexOf("+++ b/data/"), `${agent}: the task's file first`)
    assert.match(told, /Not shown for lack of room: data\/table\d+\.js.* Read each with: git diff [0-9a-f]{12} HEAD -- <file>/)
  }
  assert.match(readFileSync(path.join(missionFolder(project), "report.md"), "utf8"), /\*\*SEALED\*\*/)
})
