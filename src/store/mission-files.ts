import { existsSync, readdirSync, statSync } from "node:fs"
import path from "node:path"
import { readJournal, repairJournalTail } from "./journal.js"
import { foldEvents, type MissionState } from "../mission/mission-state.js"
import type { JournalEntry } from "../mission/mission-event.js"
import { missionsFolder } from "../mission/mission.js"

export interface LoadedJournal {
  state: MissionState
  /** What was repaired or left out on the way (a torn last line, replayed lines). */
  warnings: string[]
}

/**
 * Reads a mission's journal for a resume: checks and folds it, then repairs its tail so that
 * appending goes on after the last complete event, on a line of its own. A bad line, a replayed
 * or lost event, or one that would rewrite history is refused (the error names the line);
 * nothing is reset. The file is repaired only after the whole journal was found good.
 */
export function loadJournal(folder: string): LoadedJournal {
  const file = path.join(folder, "journal.jsonl")
  const read = readJournal(file)
  const state = foldEvents(read.entries, read.lineOf)
  const warnings: string[] = []
  const repaired = repairJournalTail(file, read)
  if (repaired) warnings.push(repaired)
  if (read.replayed) warnings.push(`${read.replayed} replayed journal line(s), identical to earlier ones, were left out`)
  return { state, warnings }
}

/** The mission folders of a project, newest first (ids sort by start time); one without a journal reads as no mission. */
export function missionIds(projectDirectory: string): string[] {
  const root = path.join(projectDirectory, missionsFolder)
  if (!existsSync(root)) return []
  return readdirSync(root)
    .filter((name) => name.startsWith("m-"))
    .sort()
    .reverse()
}

/**
 * A mission's journal and its state, read without repairing or locking anything (a running
 * mission's files are its engine's); undefined when it cannot be read yet, or at all.
 */
export function peekJournal(projectDirectory: string, missionId: string): { state: MissionState; entries: JournalEntry[] } | undefined {
  try {
    const file = path.join(projectDirectory, missionsFolder, missionId, "journal.jsonl")
    if (!statSync(file).isFile()) return undefined
    const { entries } = readJournal(file)
    return { state: foldEvents(entries), entries }
  } catch {
    return undefined
  }
}

/** A mission's state from its journal, without repairing anything; undefined when it cannot be read. */
export function peekMission(projectDirectory: string, missionId: string): MissionState | undefined {
  return peekJournal(projectDirectory, missionId)?.state
}

/** Whether a resume has something to do: the mission runs or is paused, or its cleanup did not happen. */
export function isUnfinished(state: MissionState): boolean {
  return state.status === "running" || state.status === "paused" || (state.workspace?.mode === "worktrees" && !state.closing)
}

/**
 * Mission ids of a project whose journal has no end (or whose cleanup did not happen), newest
 * first, looking at the `newest` missions only: what the plugin checks on every start stays small
 * however many missions a project has had.
 */
export function unfinishedMissions(projectDirectory: string, newest = Infinity): string[] {
  return missionIds(projectDirectory)
    .slice(0, newest)
    .filter((id) => {
      const state = peekMission(projectDirectory, id)
      return state !== undefined && isUnfinished(state)
    })
}
