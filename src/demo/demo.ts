// `npm run demo`: one whole mission on the real opencode binary, with the scripted model.
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { eventLine } from "../mission/event-line.js"
import type { JournalEntry } from "../mission/mission-event.js"
import { runHost } from "../testing/run-host.js"
import { goal, sumStatsScenario } from "./sum-stats-scenario.js"

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const work = mkdtempSync(path.join(os.tmpdir(), "orchestrator-demo-"))
const project = path.join(work, "sample-project")
cpSync(path.join(packageRoot, "examples", "sample-project"), project, { recursive: true })
const git = (...args: string[]) => execFileSync("git", args, { cwd: project, stdio: "ignore" })
git("init", "-q", "-b", "main")
git("add", "-A")
git("-c", "user.email=demo@example.invalid", "-c", "user.name=demo", "commit", "-qm", "sample project")

console.log(`Project: ${project}`)
console.log(`Mission: /task ${goal}\n`)

const missionsRoot = path.join(project, ".opencode", "orchestrator")
const missionFolder = () => {
  const names = existsSync(missionsRoot) ? readdirSync(missionsRoot).filter((name) => name.startsWith("m-")) : []
  return names[0] ? path.join(missionsRoot, names[0]) : undefined
}

// Follow the journal while the host runs: every line is an event the engine acknowledged.
let printed = 0
const follow = () => {
  const folder = missionFolder()
  if (!folder || !existsSync(path.join(folder, "journal.jsonl"))) return
  const lines = readFileSync(path.join(folder, "journal.jsonl"), "utf8").split("\n").filter(Boolean)
  for (const line of lines.slice(printed)) {
    try {
      const text = eventLine(JSON.parse(line) as JournalEntry)
      if (text) console.log(`  ${text}`)
      printed++
    } catch {
      break // a line still being written
    }
  }
}
const ticker = setInterval(follow, 200)
const run = await runHost({ project, home: path.join(work, "host-home"), scenario: sumStatsScenario(), args: ["--command", "task", ...goal.split(" ")], timeoutMs: 180_000 })
clearInterval(ticker)
follow()

const folder = missionFolder()
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
