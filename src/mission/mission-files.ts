import { existsSync, readdirSync, truncateSync, readFileSync } from "node:fs"
import path from "node:path"
import { readJournal } from "./journal.js"
import { foldEvents, type MissionState } from "./mission-state.js"
import { missionsFolder } from "./mission.js"

export interface LoadedJournal {
  state: MissionState
  /** Set when a torn last line (a crash mid-append) was cut off. */
  warning?: string
}

/**
 * Reads a mission's journal for a resume: folds it, and cuts a torn last line off the file so
 * that appending goes on after the last complete event. A corrupt journal or an unknown version
 * is refused (the error names the line); nothing is reset.
 */
export function loadJournal(folder: string): LoadedJournal {
  const file = path.join(folder, "journal.jsonl")
  const read = readJournal(file)
  const state = foldEvents(read.entries)
  if (read.tornTail === undefined) return { state }
  const text = readFileSync(file, "utf8")
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf(read.tornTail))))
  return { state, warning: `the journal's last line was torn (${Buffer.byteLength(read.tornTail)} bytes) and was cut off; the mission resumes after its last complete event` }
}

/**
 * Mission ids of a project whose journal has no end (or whose cleanup did not happen), newest
 * first, looking at the `newest` missions only (ids sort by start time): what the plugin checks on
 * every start stays small however many missions a project has had.
 */
export function unfinishedMissions(projectDirectory: string, newest = Infinity): string[] {
  const root = path.join(projectDirectory, missionsFolder)
  if (!existsSync(root)) return []
  return readdirSync(root)
    .filter((name) => name.startsWith("m-"))
    .sort()
    .reverse()
    .slice(0, newest)
    .filter((name) => {
      try {
        const state = loadState(path.join(root, name))
        return state.status === "running" || state.status === "paused" || (state.workspace?.mode === "worktrees" && !state.closing)
      } catch {
        return false
      }
    })
}

function loadState(folder: string): MissionState {
  return foldEvents(readJournal(path.join(folder, "journal.jsonl")).entries)
}
