// npm run bench:journal — how fast a mission's journal is read and written, on this machine.
// Reading: an 8 MB and a 50 MB journal, read (checked line by line) and folded; linear means the
// 50 MB read takes about 50/8 of the 8 MB one. Writing: events per second as the engine writes them
// (one fdatasync per event, before anything acts on it), against the same lines written without
// any sync and with one sync per 32 events (what a group commit would give), measured in this run.
import { appendFileSync, closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { appendJournal, readJournal } from "../src/store/journal.js"
import type { MissionEvent } from "../src/mission/mission-event.js"
import { foldEvents } from "../src/mission/mission-state.js"

const folder = mkdtempSync(path.join(os.tmpdir(), "bench-journal-"))
const start: MissionEvent = { type: "mission-start", missionId: "m-bench", goal: "bench", rootSessionId: "s", directory: "/p", verifyCommands: ["npm test"] }
const evidence = { command: "npm test", exitCode: 0, timedOut: false, durationMs: 1234, outputHead: "ok ".repeat(200), outputTail: "" }
const bulk = (seq: number): MissionEvent =>
  seq % 2 ? { type: "verify-end", round: 1, evidence: [evidence] } : { type: "usage-update", sessionId: `ses_${seq % 97}`, role: "worker", tokens: { input: seq, output: 10, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0.001 }

function journalOfSize(megabytes: number): string {
  const file = path.join(folder, `journal-${megabytes}.jsonl`)
  appendJournal(file, start, { seq: 1 })
  const lines: string[] = []
  let bytes = 0
  for (let seq = 2; bytes < megabytes * 1024 * 1024; seq++) {
    const line = JSON.stringify({ v: 2, at: new Date().toISOString(), seq, ...bulk(seq) })
    lines.push(line)
    bytes += line.length + 1
  }
  appendFileSync(file, lines.join("\n") + "\n")
  return file
}

function timeRead(file: string): { ms: number; events: number } {
  const started = performance.now()
  const read = readJournal(file)
  foldEvents(read.entries)
  return { ms: performance.now() - started, events: read.entries.length }
}

const small = timeRead(journalOfSize(8))
const large = timeRead(journalOfSize(50))
console.log(`read + fold  8 MB: ${small.ms.toFixed(0)} ms (${small.events} events)`)
console.log(`read + fold 50 MB: ${large.ms.toFixed(0)} ms (${large.events} events)`)
console.log(`50 MB / 8 MB time: ${(large.ms / small.ms).toFixed(2)} (linear ≈ ${(large.events / small.events).toFixed(2)})`)

const count = 500
const lines = Array.from({ length: count }, (_, index) => JSON.stringify({ v: 2, at: new Date().toISOString(), seq: index + 2, ...bulk(index + 2) }) + "\n")
function rate(write: () => void): number {
  const started = performance.now()
  write()
  return (count / (performance.now() - started)) * 1000
}
const engine = rate(() => {
  const file = path.join(folder, "append-engine.jsonl")
  for (let index = 0; index < count; index++) appendJournal(file, bulk(index + 2), { seq: index + 2 })
})
const unsynced = rate(() => {
  const fd = openSync(path.join(folder, "append-nosync.jsonl"), "a")
  for (const line of lines) writeSync(fd, line)
  closeSync(fd)
})
const grouped = rate(() => {
  const fd = openSync(path.join(folder, "append-group.jsonl"), "a")
  lines.forEach((line, index) => {
    writeSync(fd, line)
    if (index % 32 === 31) fdatasyncSync(fd)
  })
  fdatasyncSync(fd)
  closeSync(fd)
})
console.log(`append, one fdatasync per event (the engine): ${engine.toFixed(0)} events/s`)
console.log(`append, one fdatasync per 32 events (group commit): ${grouped.toFixed(0)} events/s (${(grouped / engine).toFixed(1)}× the engine)`)
console.log(`append, no sync (baseline, not durable): ${unsynced.toFixed(0)} events/s (${(unsynced / engine).toFixed(1)}× the engine)`)
rmSync(folder, { recursive: true, force: true })
