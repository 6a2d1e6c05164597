import { execFileSync } from "node:child_process"
import { appendFileSync, cpSync, existsSync, readdirSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { readJournal } from "../store/journal.js"
import type { JournalEntry } from "../mission/mission-event.js"
import { missionsFolder } from "../mission/mission.js"
import { seedOpencodeFolder } from "./host-environment.js"

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/** Copies `examples/sample-project` to `directory` and commits it in a git repository of its own. */
export function createSampleProject(directory: string): string {
  cpSync(path.join(packageRoot, "examples", "sample-project"), directory, { recursive: true })
  const git = (...args: string[]) => execFileSync("git", args, { cwd: directory, stdio: "ignore" })
  git("init", "-q", "-b", "main")
  git("add", "-A")
  git("-c", "user.email=sample@example.invalid", "-c", "user.name=sample", "commit", "-qm", "sample project")
  return directory
}

/**
 * Gives a project a seeded `.opencode/` (no npm install at the host's start) that git does not
 * see: a config written there later leaves the checkout clean, so every run starts the same.
 */
export function untrackedConfigFolder(project: string): string {
  seedOpencodeFolder(project)
  appendFileSync(path.join(project, ".git", "info", "exclude"), ".opencode/\n")
  return project
}

/** The mission folders the plugin made in a project. */
export function missionFolders(project: string): string[] {
  const root = path.join(project, missionsFolder)
  return existsSync(root) ? readdirSync(root).filter((name) => name.startsWith("m-")).map((name) => path.join(root, name)) : []
}

/** A mission's journal entries so far (a line still being written is left out). */
export function missionJournal(folder: string): JournalEntry[] {
  const file = path.join(folder, "journal.jsonl")
  return existsSync(file) ? readJournal(file).entries : []
}
