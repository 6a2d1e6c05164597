import { mkdirSync, mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { JournalEntry } from "../../src/mission/mission-event.js"
import type { Scenario } from "../../src/scripted-model/scenario.js"
import { runHost, type HostRun } from "../../src/testing/run-host.js"
import { createSampleProject, missionFolders, missionJournal } from "../../src/testing/sample-project.js"

/** One isolated HOME for every host run of the suite (prepared once by scripts/run-tests.mjs). */
export function sharedHome(): string {
  const home = process.env.ORCHESTRATOR_E2E_HOME ?? path.join(os.tmpdir(), `orchestrator-e2e-home-${process.ppid}`)
  mkdirSync(home, { recursive: true })
  return home
}

/** A fresh copy of the sample project, committed in its own git repository. */
export function sampleProject(): string {
  return createSampleProject(mkdtempSync(path.join(os.tmpdir(), "orchestrator-e2e-")))
}

export function runTask(project: string, scenario: Scenario, words: string[], options: { withPlugin?: boolean; snapshot?: boolean } = {}): Promise<HostRun> {
  return runHost({ project, home: sharedHome(), scenario, args: ["--command", "task", ...words], timeoutMs: 150_000, ...options })
}

export function missionFolder(project: string): string {
  const folders = missionFolders(project)
  if (folders.length !== 1) throw new Error(`expected one mission folder, found ${folders.length}`)
  return folders[0]!
}

/** The one mission's journal entries. */
export function journalOf(project: string): JournalEntry[] {
  return missionJournal(missionFolder(project))
}

/** The one mission's journal events of one type, typed. */
export function eventsOf<T extends JournalEntry["type"]>(project: string, type: T): Extract<JournalEntry, { type: T }>[] {
  return journalOf(project).filter((entry): entry is Extract<JournalEntry, { type: T }> => entry.type === type)
}

export function readJournalTypes(project: string): string[] {
  return journalOf(project).map((entry) => entry.type)
}

/** A failure message with what the host printed, for diagnosis. */
export function explain(run: HostRun): string {
  const requests = run.requests.map((r) => `${r.index} ${r.agent} task=${r.task ?? "-"} attempt=${r.attempt ?? "-"} step=${r.step} -> ${r.replyTools.map((t) => t.name).join(",") || JSON.stringify(r.replyText)}`)
  return `exit ${run.exitCode}${run.timedOut ? " (timed out)" : ""} after ${run.durationMs} ms\n--- output ---\n${run.output.slice(-4000)}\n--- requests ---\n${requests.join("\n")}`
}
