import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { goal, sources, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { runHost } from "../../src/testing/run-host.js"
import { eventsOf, explain, journalOf, missionFolder, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

// Issue 15 on the real host: the host's own usage and pricing of the scripted model's answers.

const config = (missionTokens: number) => JSON.stringify({ budget: { missionTokens } })

test("a mission token cap pauses the whole mission (exit 4) with the reason; raised, /resume-mission finishes it without redoing approved work", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), config(20_000))
  const paused = await runTask(project, sumStatsScenario(), goal.split(" "))
  assert.equal(paused.exitCode, 4, explain(paused))
  assert.match(paused.output, /PAUSED: the mission spent \d+ of its 20000-token cap \(raise "budget\.missionTokens"/)
  const [pause] = eventsOf(project, "mission-pause")
  assert.match(pause!.reason, /of its 20000-token cap/)
  assert.equal(eventsOf(project, "task-approve").some((entry) => entry.taskId === "C"), false, "it paused before the end")
  // No step started once the cap was reached: after the usage update that crossed it, no attempt starts.
  const totals = new Map<string, number>()
  const journal = journalOf(project)
  const crossed = journal.findIndex((entry) => {
    if (entry.type !== "usage-update") return false
    const t = entry.tokens
    totals.set(`${entry.sessionId}/${entry.messageId ?? ""}`, t.input + t.output + t.reasoning + t.cacheRead + t.cacheWrite)
    return [...totals.values()].reduce((sum, value) => sum + value, 0) >= 20_000
  })
  assert.ok(crossed > 0, "the cap was crossed")
  assert.deepEqual(journal.slice(crossed + 1).filter((entry) => entry.type === "task-start"), [], journal.slice(crossed).map((entry) => entry.type).join(" "))
  const approvedBefore = eventsOf(project, "task-approve").map((entry) => entry.taskId)

  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), config(10_000_000))
  const resumed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(), args: ["--command", "resume-mission"], timeoutMs: 150_000 })
  assert.equal(resumed.exitCode, 0, explain(resumed))
  for (const id of approvedBefore) assert.equal(resumed.requests.filter((request) => request.agent === "worker" && request.task === id).length, 0, `${id} was not redone`)
  assert.equal(readFileSync(path.join(project, "src", "stats.js"), "utf8"), sources.stats)
  const report = readFileSync(path.join(missionFolder(project), "report.md"), "utf8")
  // Dollars from the host's own pricing of the model (never $0.00 for a priced model).
  assert.match(report, /Total: \d+\.\dk tokens · \$0\.[1-9]\d{3}\./)
  assert.match(report, /\| C \| 1 \| \d+ \| 0\.\d{4} \|/, "per attempt")
  assert.match(resumed.output, /SEALED and LANDED/)
})
