import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import type { Scenario } from "../../src/scripted-model/scenario.js"
import { runHost, type HostRun } from "../../src/testing/run-host.js"

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/** One isolated HOME for every host run of the suite (prepared once by scripts/run-tests.mjs). */
export function sharedHome(): string {
  const home = process.env.ORCHESTRATOR_E2E_HOME ?? path.join(os.tmpdir(), `orchestrator-e2e-home-${process.ppid}`)
  mkdirSync(home, { recursive: true })
  return home
}

/** A fresh copy of the sample project, committed in its own git repository. */
export function sampleProject(): string {
  const project = mkdtempSync(path.join(os.tmpdir(), "orchestrator-e2e-"))
  cpSync(path.join(repoRoot, "examples", "sample-project"), project, { recursive: true })
  const git = (...args: string[]) => execFileSync("git", args, { cwd: project, stdio: "ignore" })
  git("init", "-q", "-b", "main")
  git("add", "-A")
  git("-c", "user.email=e2e@example.invalid", "-c", "user.name=e2e", "commit", "-qm", "sample project")
  return project
}

export function runTask(project: string, scenario: Scenario, words: string[]): Promise<HostRun> {
  return runHost({ project, home: sharedHome(), scenario, args: ["--command", "task", ...words], timeoutMs: 150_000 })
}

export function missionFolder(project: string): string {
  const root = path.join(project, ".opencode", "orchestrator")
  const missions = existsSync(root) ? readdirSync(root).filter((name) => name.startsWith("m-")) : []
  if (missions.length !== 1) throw new Error(`expected one mission folder, found ${missions.length}`)
  return path.join(root, missions[0]!)
}

export function readJournalTypes(project: string): string[] {
  return readFileSync(path.join(missionFolder(project), "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line).type)
}

/** A failure message with what the host printed, for diagnosis. */
export function explain(run: HostRun): string {
  const requests = run.requests.map((r) => `${r.index} ${r.agent} task=${r.task ?? "-"} attempt=${r.attempt ?? "-"} step=${r.step} -> ${r.replyTools.map((t) => t.name).join(",") || JSON.stringify(r.replyText)}`)
  return `exit ${run.exitCode}${run.timedOut ? " (timed out)" : ""} after ${run.durationMs} ms\n--- output ---\n${run.output.slice(-4000)}\n--- requests ---\n${requests.join("\n")}`
}
