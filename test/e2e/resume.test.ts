import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import path from "node:path"
import { goal, sources, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
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
