import { test } from "node:test"
import assert from "node:assert/strict"
import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { call, goal, parallelABRules, plan, say, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { runHost } from "../../src/testing/run-host.js"
import { explain, journalOf, missionFolder, readJournalTypes, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

test("a three-task mission runs A and B in parallel, verifies, reviews and seals", async () => {
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario(parallelABRules), goal.split(" "))
  assert.equal(run.exitCode, 0, explain(run))

  // Workers wrote real files with the host's write tool; the real tests pass.
  for (const file of ["src/sum.js", "src/product.js", "src/stats.js", "test/stats.test.js"]) assert.ok(existsSync(path.join(project, file)), file)

  // A and B ran at the same time: each one's first answer waited for the other's first request (a
  // serial engine would let it wait 30 s alone), so some request of each overlaps one of the other.
  const workerRequests = (task: string) => run.requests.filter((r) => r.agent === "worker" && r.task === task)
  const overlap = workerRequests("A").some((a) => workerRequests("B").some((b) => a.startedAt < b.endedAt! && b.startedAt < a.endedAt!))
  assert.ok(overlap, `A and B did not overlap\n${explain(run)}`)
  // C started only after both were approved (its first request comes after every A and B review).
  const firstC = Math.min(...workerRequests("C").map((r) => r.startedAt))
  const reviewsAB = run.requests.filter((r) => r.agent === "reviewer" && (r.task === "A" || r.task === "B"))
  assert.ok(reviewsAB.length >= 2 && reviewsAB.every((r) => r.endedAt! <= firstC), explain(run))

  // Roles are enforced by host permissions: what the real host offered each agent's model.
  const offered = (agent: string) => run.requests.find((r) => r.agent === agent)!.toolNames.sort()
  assert.deepEqual(offered("commander"), ["glob", "grep", "mission_amend", "mission_status", "mission_stop", "read", "run_mission"])
  assert.deepEqual(offered("planner"), ["ast_grep_search", "glob", "grep", "read", "submit_plan"])
  assert.deepEqual(offered("reviewer"), ["ast_grep_search", "glob", "grep", "memory_read", "read", "submit_review"])
  assert.deepEqual(offered("master-reviewer"), ["ast_grep_search", "glob", "grep", "memory_read", "read", "submit_verdict"])
  const worker = offered("worker")
  assert.ok(["shell", "edit", "read", "write", "submit_work", "memory_read", "ast_grep_search", "ast_grep_rewrite"].every((tool) => worker.includes(tool)), worker.join())
  assert.ok(!worker.some((tool) => ["task", "webfetch", "submit_plan", "submit_review", "submit_verdict", "run_mission", "todowrite", "skill", "bash", "grep", "glob"].includes(tool)), worker.join())
  // Without the skill tool, the host leaves its skills list out of the worker's system prompt too.
  const workerSystem = JSON.stringify(run.requests.find((r) => r.agent === "worker")!.messages.filter((m) => m.role === "system"))
  assert.doesNotMatch(workerSystem, /Skills provide specialized instructions/)

  const folder = missionFolder(project)
  const todo = readFileSync(path.join(folder, "TODO.md"), "utf8")
  assert.match(todo, /Status: \*\*sealed\*\*/)
  assert.equal((todo.match(/- \[x\] /g) ?? []).length, 3, todo)
  const report = readFileSync(path.join(folder, "report.md"), "utf8")
  assert.match(report, /\*\*SEALED\*\*/)
  assert.match(report, /`npm test`: exit 0/)
  assert.match(report, /\| worker \| [1-9]\d* \|/, "worker tokens are reported")
  // Every request is counted, the commander's own included (the step that ran the mission finishes
  // after its end): the journal's spend is exactly what the model reported, request by request.
  const totals = new Map<string, number>()
  for (const entry of journalOf(project)) if (entry.type === "usage-update") totals.set(`${entry.sessionId}/${entry.messageId ?? ""}`, entry.tokens.input)
  const reported = run.requests.filter((r) => r.agent !== "title").reduce((sum, r) => sum + r.usage.prompt_tokens, 0)
  assert.equal([...totals.values()].reduce((sum, value) => sum + value, 0), reported)
  const commanderReported = run.requests.filter((r) => r.agent === "commander").reduce((sum, r) => sum + r.usage.prompt_tokens, 0)
  assert.match(report, new RegExp(`\\| commander \\| ${commanderReported} \\|`), "report.md was written again with the commander's steps")
  // A child's turn ends with its submission: no request after a submit call in the same attempt.
  for (const request of run.requests.filter((r) => r.agent !== "commander" && r.agent !== "title"))
    assert.ok(!request.messages.at(-1)?.content || !/stop now/i.test(JSON.stringify(request.messages.at(-1)!.content)), `request ${request.index} only closes a turn`)
  const types = readJournalTypes(project)
  assert.deepEqual(types.filter((t) => t === "task-approve").length, 3)
  assert.deepEqual(types.filter((t) => t !== "usage-update").slice(-2), ["mission-end", "workspace-close"], "the end is decided, then the result lands")
  // The mission files are gitignored by our own .gitignore; the user's tree shows only the work.
  assert.equal(readFileSync(path.join(project, ".opencode", "orchestrator", ".gitignore"), "utf8"), "*\n")
})

test("picked as the agent without /task, the commander starts the mission itself through run_mission", async () => {
  const project = sampleProject()
  const onlyA = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  const run = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario([onlyA]), args: ["--agent", "commander", "please", "add", "a", "sum", "function"], timeoutMs: 120_000 })
  assert.equal(run.exitCode, 0, explain(run))
  const commanderFirst = run.requests.find((r) => r.agent === "commander")!
  assert.match(commanderFirst.lastUserText, /please add a sum function/)
  assert.match(readFileSync(path.join(missionFolder(project), "report.md"), "utf8"), /\*\*SEALED\*\*/)
  assert.match(run.output, /run_mission Mission m-\S+ SEALED and LANDED: 1 commit\(s\) [0-9a-f]{12} in your checkout; files: src\/sum\.js, test\/sum\.test\.js\. Report: /)
  // Headless, the milestones are printed as they happen, not only the last line.
  const progress = run.output.split("\n").filter((line) => line.startsWith("orchestrator: "))
  for (const line of ["orchestrator: plan accepted: A", "orchestrator: task A: approved", "orchestrator: master review (round 1): approve"]) assert.ok(progress.includes(line), `${line} in\n${progress.join("\n")}`)
})
