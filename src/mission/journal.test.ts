import { test } from "node:test"
import assert from "node:assert/strict"
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { appendJournal, readJournal, writeFileAtomic } from "./journal.js"
import type { MissionEvent } from "./mission-event.js"

const folder = () => mkdtempSync(path.join(os.tmpdir(), "journal-"))
const start: MissionEvent = { type: "mission-start", missionId: "m", goal: "g", rootSessionId: "s", directory: "/p", verifyCommands: [] }

test("appended events read back in order with version and time", () => {
  const file = path.join(folder(), "journal.jsonl")
  appendJournal(file, start, new Date("2026-01-01T00:00:00Z"))
  appendJournal(file, { type: "task-approve", taskId: "A", attempt: 1 })
  const { entries, tornTail } = readJournal(file)
  assert.equal(tornTail, undefined)
  assert.deepEqual(entries.map((e) => e.type), ["mission-start", "task-approve"])
  assert.equal(entries[0]!.at, "2026-01-01T00:00:00.000Z")
  assert.equal(entries[0]!.v, 1)
})

test("a torn last line is left out and reported", () => {
  const file = path.join(folder(), "journal.jsonl")
  appendJournal(file, start)
  appendFileSync(file, '{"v":1,"type":"task-app')
  const { entries, tornTail } = readJournal(file)
  assert.equal(entries.length, 1)
  assert.equal(tornTail, '{"v":1,"type":"task-app')
})

test("a corrupt middle line or an unknown version is refused", () => {
  const file = path.join(folder(), "journal.jsonl")
  appendFileSync(file, "garbage\n")
  appendJournal(file, start)
  assert.throws(() => readJournal(file), /line 1/)
  const other = path.join(folder(), "journal.jsonl")
  appendFileSync(other, '{"v":9,"type":"mission-start"}\n')
  assert.throws(() => readJournal(other), /unknown journal version 9/)
})

test("atomic writes leave no temp file and replace the whole content", () => {
  const dir = folder()
  const file = path.join(dir, "TODO.md")
  writeFileAtomic(file, "one\n")
  writeFileAtomic(file, "two\n")
  assert.equal(readFileSync(file, "utf8"), "two\n")
  assert.deepEqual(readdirSync(dir), ["TODO.md"])
})
