// Benchmark: what worktree isolation adds per task, on a repository of a few thousand files.
// The same three-task mission (the demo's) runs on the real host with worktrees and with the
// opt-out ("worktrees": { "enabled": false }), alternating, in one process. Prints the medians of
// the mission's wall time in each mode, their difference per task, and the per-task costs the
// journal records (worktree creation, preparation, merge, post-merge verification).
// Run: npm run bench:worktrees [runs]
import { execFileSync } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { goal, sumStatsScenario } from "../src/demo/sum-stats-scenario.js"
import { runHost } from "../src/testing/run-host.js"
import { createSampleProject, missionFolders, missionJournal, untrackedConfigFolder } from "../src/testing/sample-project.js"

const runs = Number(process.argv[2] ?? 3)
const files = 3000
const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-worktrees-"))
const home = path.join(scratch, "home")

/** The sample project plus `files` committed source files and an ignored node_modules of 1000 files. */
function template(): string {
  const project = createSampleProject(path.join(scratch, "template"))
  for (let i = 0; i < files; i++) {
    const folder = path.join(project, "lib", `module-${i % 60}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, `file-${i}.js`), `export const value${i} = ${i}\n`.repeat(20))
  }
  for (let i = 0; i < 1000; i++) {
    const folder = path.join(project, "node_modules", `package-${i % 50}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(path.join(folder, `index-${i}.js`), "module.exports = 1\n")
  }
  writeFileSync(path.join(project, ".gitignore"), "node_modules/\n")
  execFileSync("git", ["add", "-A"], { cwd: project })
  execFileSync("git", ["-c", "user.email=b@b", "-c", "user.name=b", "commit", "-qm", "many files"], { cwd: project })
  // The mode switch stays out of git, so both modes start from the same clean checkout.
  return untrackedConfigFolder(project)
}

interface Sample {
  wallMs: number
  createMs: number
  prepareMs: number
  mergeMs: number
  verifyMs: number
}

async function mission(source: string, worktrees: boolean, index: number): Promise<Sample> {
  const project = path.join(scratch, `run-${index}-${worktrees ? "worktrees" : "shared"}`)
  cpSync(source, project, { recursive: true, verbatimSymlinks: true })
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ worktrees: { enabled: worktrees } }))
  const run = await runHost({ project, home, scenario: sumStatsScenario(), args: ["--command", "task", ...goal.split(" ")], timeoutMs: 300_000 })
  if (run.exitCode !== 0) throw new Error(`mission exited ${run.exitCode}:\n${run.output.slice(-2000)}`)
  const journal = missionJournal(missionFolders(project)[0]!)
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
  const ready = journal.flatMap((entry) => (entry.type === "worktree-ready" ? [entry] : []))
  const merges = journal.flatMap((entry) => (entry.type === "merge-end" ? [entry] : []))
  const verifyMs = sum(merges.flatMap((merge) => merge.evidence.map((item) => item.durationMs)))
  return {
    wallMs: run.durationMs,
    createMs: sum(ready.map((entry) => entry.createMs)),
    prepareMs: sum(ready.map((entry) => entry.prepareMs)),
    mergeMs: sum(merges.map((merge) => merge.durationMs)) - verifyMs,
    verifyMs,
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const source = template()
await mission(source, true, -1) // warm-up: the first host start in a fresh HOME is slower for reasons of its own
const isolated: Sample[] = []
const shared: Sample[] = []
for (let i = 0; i < runs; i++) {
  shared.push(await mission(source, false, i))
  isolated.push(await mission(source, true, i))
}
const tasks = 3
const [a, b] = [median(shared.map((s) => s.wallMs)), median(isolated.map((s) => s.wallMs))]
const perTask = (key: keyof Sample) => (median(isolated.map((s) => s[key])) / tasks).toFixed(0)
console.log(`three-task mission on a repository of ${files} files (+1000 in node_modules), ${runs} runs each (median):`)
console.log(`  shared tree (opt-out)  ${a.toFixed(0)} ms`)
console.log(`  worktrees              ${b.toFixed(0)} ms`)
console.log(`  difference             ${(b - a).toFixed(0)} ms, ${((b - a) / tasks).toFixed(0)} ms per task (ratio ${(b / a).toFixed(3)})`)
console.log(`  per task, from the journal: create ${perTask("createMs")} ms · prepare ${perTask("prepareMs")} ms · merge ${perTask("mergeMs")} ms · post-merge verification ${perTask("verifyMs")} ms`)
const journalled = (["createMs", "prepareMs", "mergeMs", "verifyMs"] as const).reduce((total, key) => total + Number(perTask(key)), 0)
console.log(`  not in the journal: ${((b - a) / tasks - journalled).toFixed(0)} ms per task (mostly the host starting an instance for each new worktree directory)`)
