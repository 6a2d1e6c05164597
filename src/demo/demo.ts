// `npm run demo`: one whole mission on the real opencode binary, with the scripted model.
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { eventLine } from "../mission/event-line.js"
import { runHost } from "../testing/run-host.js"
import { createSampleProject, missionFolders, missionJournal } from "../testing/sample-project.js"
import { goal, sumStatsScenario } from "./sum-stats-scenario.js"

const work = mkdtempSync(path.join(os.tmpdir(), "orchestrator-demo-"))
const project = createSampleProject(path.join(work, "sample-project"))

console.log(`Project: ${project}`)
console.log(`Mission: /task ${goal}\n`)

// Follow the journal while the host runs: every line is an event the engine acknowledged.
let printed = 0
const follow = () => {
  const folder = missionFolders(project)[0]
  const entries = folder ? missionJournal(folder) : []
  for (const entry of entries.slice(printed)) {
    const text = eventLine(entry)
    if (text) console.log(`  ${text}`)
  }
  printed = Math.max(printed, entries.length)
}
const ticker = setInterval(follow, 200)
const run = await runHost({ project, home: path.join(work, "host-home"), scenario: sumStatsScenario(), args: ["--command", "task", ...goal.split(" ")], timeoutMs: 180_000 })
clearInterval(ticker)
follow()

const folder = missionFolders(project)[0]
if (!folder) {
  console.error(`\nNo mission was started. opencode said:\n${run.output}`)
  process.exit(1)
}
console.log(`\n${readFileSync(path.join(folder, "TODO.md"), "utf8")}`)
const report = existsSync(path.join(folder, "report.md")) ? readFileSync(path.join(folder, "report.md"), "utf8") : "(no report)"
console.log(report)
console.log("(Token counts here are the scripted model's estimate, about 4 characters a token.)")
console.log(`Model requests: ${run.requests.length} · opencode exit code ${run.exitCode} · ${(run.durationMs / 1000).toFixed(1)} s`)
console.log(`Files: ${folder}`)
const sealed = run.exitCode === 0 && report.includes("**SEALED**")
process.exit(sealed ? 0 : 1)
