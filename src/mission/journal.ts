import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs"
import path from "node:path"
import type { JournalEntry, MissionEvent } from "./mission-event.js"

export const journalVersion = 1

/** Appends one event as one JSON line and flushes it to disk before returning. */
export function appendJournal(file: string, event: MissionEvent, now = new Date()): JournalEntry {
  const entry: JournalEntry = { v: journalVersion, at: now.toISOString(), ...event }
  const fd = openSync(file, "a")
  try {
    writeSync(fd, JSON.stringify(entry) + "\n")
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return entry
}

export interface JournalRead {
  entries: JournalEntry[]
  /** Set when the last line was torn (a crash mid-append) and was left out. */
  tornTail?: string
}

/** Reads a journal. A torn last line is left out and reported; any other bad line is an error. */
export function readJournal(file: string): JournalRead {
  const lines = readFileSync(file, "utf8").split("\n")
  const entries: JournalEntry[] = []
  let tornTail: string | undefined
  lines.forEach((line, index) => {
    if (line.trim() === "") return
    const isLast = lines.slice(index + 1).every((rest) => rest.trim() === "")
    try {
      const entry = JSON.parse(line) as JournalEntry
      if (entry.v !== journalVersion) throw new Error(`unknown journal version ${String(entry.v)} at line ${index + 1}`)
      entries.push(entry)
    } catch (error) {
      if (isLast && error instanceof SyntaxError) tornTail = line
      else throw new Error(`${file}: line ${index + 1}: ${(error as Error).message}`)
    }
  })
  return { entries, tornTail }
}

/** Writes a whole file atomically: temp file in the same folder, fsync, rename. */
export function writeFileAtomic(file: string, content: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  const fd = openSync(temp, "w")
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
}
