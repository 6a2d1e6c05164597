import { test } from "node:test"
import assert from "node:assert/strict"
import * as fs from "node:fs"
import { spawnSync } from "node:child_process"
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { appendJournal, JournalAppender, JournalWriteError, readJournal, writeFileAtomic, type JournalFs } from "./journal.js"
import { loadJournal } from "./mission-files.js"
import type { MissionEvent } from "../mission/mission-event.js"

const folder = () => mkdtempSync(path.join(os.tmpdir(), "journal-"))
const start: MissionEvent = { type: "mission-start", missionId: "m", goal: "g", rootSessionId: "s", directory: "/p", verifyCommands: [] }
const plan: MissionEvent = { type: "plan-accept", attempt: 1, tasks: [{ id: "A", title: "a", description: "", acceptance: [], files: [], dependsOn: [] }] }
const approve: MissionEvent = { type: "task-approve", taskId: "A", attempt: 1 }

/** A journal of the given events, each with its sequence number. */
function journalOf(events: MissionEvent[]): string {
  const file = path.join(folder(), "journal.jsonl")
  events.forEach((event, index) => appendJournal(file, event, { seq: index + 1 }))
  return file
}

test("appended events read back in order with version, time and sequence", () => {
  const file = path.join(folder(), "journal.jsonl")
  appendJournal(file, start, { seq: 1, now: new Date("2026-01-01T00:00:00Z") })
  appendJournal(file, plan, { seq: 2 })
  const { entries, tornTail } = readJournal(file)
  assert.equal(tornTail, undefined)
  assert.deepEqual(entries.map((e) => [e.type, e.seq]), [["mission-start", 1], ["plan-accept", 2]])
  assert.equal(entries[0]!.at, "2026-01-01T00:00:00.000Z")
  assert.equal(entries[0]!.v, 2)
})

test("a torn last line is left out and reported, and a resume cuts it off", () => {
  const file = journalOf([start])
  appendFileSync(file, '{"v":2,"seq":2,"type":"task-app')
  const { entries, tornTail } = readJournal(file)
  assert.equal(entries.length, 1)
  assert.equal(tornTail, '{"v":2,"seq":2,"type":"task-app')
  const loaded = loadJournal(path.dirname(file))
  assert.match(loaded.warnings[0]!, /torn/)
  assert.ok(readFileSync(file, "utf8").endsWith("}\n"))
})

test("a last line missing only its newline gets one before anything is appended, so the next event is not glued to it", () => {
  const file = journalOf([start, plan])
  fs.truncateSync(file, fs.statSync(file).size - 1)
  assert.equal(readJournal(file).missingNewline, true)
  const loaded = loadJournal(path.dirname(file))
  assert.match(loaded.warnings.join(), /no newline/)
  appendJournal(file, approve, { seq: 3 })
  assert.deepEqual(readJournal(file).entries.map((e) => e.type), ["mission-start", "plan-accept", "task-approve"])
  assert.equal(loadJournal(path.dirname(file)).state.tasks[0]!.status, "approved", "resumable again and again")
})

test("a corrupt middle line or an unknown version is refused, naming the line", () => {
  const file = path.join(folder(), "journal.jsonl")
  appendFileSync(file, "garbage\n")
  appendJournal(file, start, { seq: 1 })
  assert.throws(() => readJournal(file), /line 1: not a JSON line/)
  const other = path.join(folder(), "journal.jsonl")
  appendFileSync(other, '{"v":9,"type":"mission-start"}\n')
  assert.throws(() => readJournal(other), /line 1: unknown journal version 9/)
})

test("an unknown event type, or a known one missing a field, is a refusal naming the line and the problem, not a TypeError", () => {
  const unknown = journalOf([start])
  appendFileSync(unknown, `${JSON.stringify({ v: 2, seq: 2, at: "x", type: "task-teleport", taskId: "A" })}\n`)
  assert.throws(() => loadJournal(path.dirname(unknown)), (error: Error) => error.name === "JournalReadError" && /line 2: not a valid event \(type/.test(error.message))
  const missing = journalOf([start, plan])
  appendFileSync(missing, `${JSON.stringify({ v: 2, seq: 3, at: "x", type: "review-end", taskId: "A", attempt: 1 })}\n`)
  assert.throws(() => loadJournal(path.dirname(missing)), /line 3: not a valid event \(sessionId: /)
})

test("a replayed event is refused unless it repeats its line exactly; it never resets state", () => {
  // A duplicated plan-accept (other time) after an approval would have reset A to pending.
  const file = journalOf([start, plan, approve])
  const lines = readFileSync(file, "utf8").split("\n")
  appendFileSync(file, `${lines[1]}\n`)
  const same = loadJournal(path.dirname(file))
  assert.equal(same.state.tasks[0]!.status, "approved")
  assert.match(same.warnings.join(), /1 replayed journal line/)
  appendFileSync(file, `${lines[1]!.replace(/"at":"[^"]+"/, '"at":"2030-01-01T00:00:00.000Z"')}\n`)
  assert.throws(() => loadJournal(path.dirname(file)), /line 5: event 2 \(plan-accept\) where event 4 was expected/)
})

test("without sequence numbers (version 1), the fold still refuses a second start or plan rather than wipe tasks", () => {
  const file = path.join(folder(), "journal.jsonl")
  for (const event of [start, plan, approve, plan]) appendFileSync(file, `${JSON.stringify({ v: 1, at: "x", ...event })}\n`)
  assert.throws(() => loadJournal(path.dirname(file)), (error: Error) => error.name === "EventConflictError" && /line 4 \(plan-accept\): a second plan-accept/.test(error.message))
  const restart = path.join(folder(), "journal.jsonl")
  for (const event of [start, plan, start]) appendFileSync(restart, `${JSON.stringify({ v: 1, at: "x", ...event })}\n`)
  assert.throws(() => loadJournal(path.dirname(restart)), /line 3 \(mission-start\): a second mission-start/)
})

/** The real file calls, with every write cut to at most `max` bytes (or to none). */
function shortWrites(max: number): JournalFs {
  return { ...fs, writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, Math.min(length, max)) }
}

test("short writes are completed: an event written a few bytes at a time reads back whole", () => {
  const file = journalOf([start])
  appendJournal(file, plan, { seq: 2, fs: shortWrites(7) })
  assert.deepEqual(readJournal(file).entries.map((e) => e.type), ["mission-start", "plan-accept"])
})

test("a write that stops short fails loudly and leaves the journal as it was", () => {
  const file = journalOf([start])
  const before = readFileSync(file, "utf8")
  let calls = 0
  const failing: JournalFs = { ...fs, writeSync: (fd, buffer, offset, length) => (++calls === 1 ? fs.writeSync(fd, buffer, offset, Math.min(length, 10)) : 0) }
  assert.throws(() => appendJournal(file, plan, { seq: 2, fs: failing }), (error: Error) => error instanceof JournalWriteError && /ENOSPC/.test(error.message))
  assert.equal(readFileSync(file, "utf8"), before, "the partial line was cut off again")
})

test("under a file size limit (ulimit -f) an append fails with EFBIG and the journal keeps its last complete line", () => {
  const dir = folder()
  const file = journalOf([start])
  const script = path.join(dir, "append.mjs")
  const module = new URL("./journal.ts", import.meta.url).href
  writeFileSync(script, `import { appendJournal } from ${JSON.stringify(module)}\ntry { for (let i = 0; i < 1000; i++) appendJournal(${JSON.stringify(file)}, { type: "task-fail", taskId: "A", reason: "x".repeat(100) }, { seq: i + 2 }) } catch (error) { console.log(error.name, error.message); process.exit(0) }\nconsole.log("no error")`)
  // Ignored, SIGXFSZ stays ignored across exec: the write then fails with EFBIG instead of killing the process.
  const run = spawnSync("bash", ["-c", `trap '' XFSZ; ulimit -f 8; exec "${process.execPath}" --import tsx "${script}"`], { encoding: "utf8", env: { ...process.env, TSX_DISABLE_CACHE: "1" } })
  assert.match(run.stdout, /JournalWriteError the journal could not be written \(EFBIG\)/, run.stderr)
  const read = readJournal(file)
  assert.equal(read.tornTail, undefined)
  assert.ok(readFileSync(file, "utf8").endsWith("\n"))
  assert.ok(read.entries.length > 2 && read.entries.length < 1000)
})

test("20,000 events read back whole (how long that takes: npm run bench:journal)", () => {
  const file = journalOf([start, plan])
  const line = (seq: number) => JSON.stringify({ v: 2, at: "x", seq, type: "usage-update", sessionId: "s", role: "worker", tokens: { input: 1, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0 })
  appendFileSync(file, Array.from({ length: 20_000 }, (_, index) => line(index + 3)).join("\n") + "\n")
  assert.equal(readJournal(file).entries.length, 20_002)
})

test("atomic writes leave no temp file and replace the whole content", () => {
  const dir = folder()
  const file = path.join(dir, "TODO.md")
  writeFileAtomic(file, "one\n")
  writeFileAtomic(file, "two\n", { durable: false })
  assert.equal(readFileSync(file, "utf8"), "two\n")
  assert.deepEqual(readdirSync(dir), ["TODO.md"])
})

/** node:fs, counting fdatasyncs; `failSync` makes them fail with EIO. */
function countingSyncs(failSync = false) {
  const counted = { syncs: 0 }
  const double: JournalFs = {
    ...fs,
    fdatasyncSync: (fd) => {
      counted.syncs++
      if (failSync) throw Object.assign(new Error("input/output error"), { code: "EIO" })
      fs.fdatasyncSync(fd)
    },
  }
  return { counted, double }
}

test("the appender writes each event at once and shares one fdatasync among the events of a turn; sync() forces it", async () => {
  const file = journalOf([start])
  const { counted, double } = countingSyncs()
  const journal = new JournalAppender(file, undefined, double)
  journal.append(plan, 2)
  journal.append(approve, 3)
  // Written already, before any sync: a killed process would leave both lines.
  assert.deepEqual(readJournal(file).entries.map((e) => e.seq), [1, 2, 3])
  assert.equal(counted.syncs, 0)
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(counted.syncs, 1, "one sync for the turn's two events")
  journal.append({ type: "task-fail", taskId: "A", reason: "x" }, 4)
  journal.sync()
  assert.equal(counted.syncs, 2)
  journal.sync()
  assert.equal(counted.syncs, 2, "nothing new: no sync")
  journal.close()
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(counted.syncs, 2)
})

test("a write the appender cannot finish is cut back off and throws; a failed sync is reported and fails every later append", () => {
  const file = journalOf([start])
  const before = readFileSync(file, "utf8")
  let calls = 0
  const stops: JournalFs = { ...fs, writeSync: (fd, buffer, offset, length) => (++calls === 1 ? fs.writeSync(fd, buffer, offset, Math.min(length, 10)) : 0) }
  assert.throws(() => new JournalAppender(file, undefined, stops).append(plan, 2), (error: Error) => error instanceof JournalWriteError && /ENOSPC/.test(error.message))
  assert.equal(readFileSync(file, "utf8"), before)

  const reported: string[] = []
  const { double } = countingSyncs(true)
  const journal = new JournalAppender(file, (error) => reported.push(error.message), double)
  journal.append(plan, 2)
  journal.sync()
  assert.match(reported[0] ?? "", /could not be flushed to disk \(EIO\)/)
  assert.throws(() => journal.append(approve, 3), JournalWriteError)
})
