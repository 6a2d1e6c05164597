import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import path from "node:path"
import { goal, plan, sources, sumStatsScenario, workerRule } from "../../src/demo/sum-stats-scenario.js"
import { runHost } from "../../src/testing/run-host.js"
import { missionFolders, missionJournal } from "../../src/testing/sample-project.js"
import { eventsOf, explain, missionFolder, sampleProject, sharedHome } from "./e2e-fixture.js"

test("the host killed with SIGKILL mid-mission: /resume-mission finishes it, approved work is not redone", async () => {
  const project = sampleProject()
  const approvedSoFar = () => {
    const folder = missionFolders(project)[0]
    return folder ? missionJournal(folder).filter((entry) => entry.type === "task-approve").length : 0
  }
  // Killed once the first of A and B is approved, while the other is still at work.
  const crashed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(), args: ["--command", "task", ...goal.split(" ")], killWhen: () => approvedSoFar() >= 1 })
  assert.equal(crashed.exitCode, null, explain(crashed))
  const approvedBefore = eventsOf(project, "task-approve").map((entry) => `${entry.taskId}@${entry.attempt}`)
  assert.equal(approvedBefore.length, 1)

  // A new host process offers the unfinished mission and resumes it with the command.
  const resumed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(), args: ["--command", "resume-mission"], timeoutMs: 150_000 })
  assert.equal(resumed.exitCode, 0, explain(resumed))
  const [resume] = eventsOf(project, "mission-resume")
  assert.ok(resume, "the journal records the resume")
  const approvedAfter = eventsOf(project, "task-approve").map((entry) => `${entry.taskId}@${entry.attempt}`)
  assert.equal(approvedAfter.filter((entry) => entry === approvedBefore[0]).length, 1, "the approved task was not redone")
  assert.deepEqual(approvedAfter.map((entry) => entry[0]).sort(), ["A", "B", "C"])
  const redone = approvedBefore[0]![0] === "A" ? "B" : "A"
  assert.equal(resumed.requests.filter((request) => request.agent === "worker" && request.task === approvedBefore[0]![0]).length, 0, "no worker ran again for the approved task")
  // The other task was in flight: redone by its worker, or, killed just after its merge commit, recovered from it.
  const recovered = eventsOf(project, "merge-end").some((end) => end.taskId === redone && end.findings.some((finding) => /found after a restart/.test(finding.message)))
  assert.ok(recovered || resumed.requests.some((request) => request.agent === "worker" && request.task === redone), explain(resumed))
  assert.equal(readFileSync(path.join(project, "src", "sum.js"), "utf8"), sources.sum)
  assert.equal(readFileSync(path.join(project, "src", "product.js"), "utf8"), sources.product)
  assert.match(readFileSync(path.join(missionFolder(project), "report.md"), "utf8"), /\*\*SEALED\*\*/)
  const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" }).trim()
  assert.equal(git("worktree", "list").split("\n").length, 1)
  assert.equal(git("branch", "--format=%(refname:short)"), "main")

})

test("killed mid-attempt, the resumed attempt's new worker session is told the whole task, not only 'fix every finding'", async () => {
  const project = sampleProject()
  const started = (task: string) => {
    const folder = missionFolders(project)[0]
    return folder ? missionJournal(folder).some((entry) => entry.type === "task-start" && entry.taskId === task) : false
  }
  // C's worker is slow in the first run, so the kill lands inside its first attempt.
  const slowC = workerRule("C", [["src/stats.js", sources.stats], ["test/stats.test.js", sources.statsTest]], { delayMs: 20_000 })
  const crashed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario([slowC]), args: ["--command", "task", ...goal.split(" ")], killWhen: () => started("C") })
  assert.equal(crashed.exitCode, null, explain(crashed))
  assert.equal(eventsOf(project, "task-approve").some((entry) => entry.taskId === "C"), false)

  const resumed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(), args: ["--command", "resume-mission"], timeoutMs: 150_000 })
  assert.equal(resumed.exitCode, 0, explain(resumed))
  const first = resumed.requests.find((request) => request.agent === "worker" && request.task === "C")
  assert.ok(first, explain(resumed))
  assert.equal(first.attempt, 2, "the interrupted attempt counted")
  const told = first.messages.filter((message) => message.role === "user").map((message) => JSON.stringify(message.content)).join("\n")
  const task = plan.find((item) => item.id === "C")!
  assert.ok(told.includes(task.description), told)
  for (const criterion of task.acceptance) assert.ok(told.includes(JSON.stringify(criterion).slice(1, -1)), `acceptance "${criterion}" in: ${told}`)
  assert.doesNotMatch(told, /Your previous attempt was rejected/)
  assert.equal(readFileSync(path.join(project, "src", "stats.js"), "utf8"), sources.stats)
})
