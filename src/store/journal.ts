import * as nodeFs from "node:fs"
import path from "node:path"
import { journalVersion, JournalEntrySchema, type JournalEntry, type MissionEvent } from "../mission/mission-event.js"

/** The file calls the journal makes: the real `node:fs`, or a double in tests (short writes, a full disk). */
export interface JournalFs {
  openSync: typeof nodeFs.openSync
  writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number
  fdatasyncSync: typeof nodeFs.fdatasyncSync
  ftruncateSync: typeof nodeFs.ftruncateSync
  fstatSync: (fd: number) => { size: number }
  closeSync: typeof nodeFs.closeSync
}

/** The journal could not be written in full (a full disk, a file size limit, an I/O error). Nothing may act on the event. */
export class JournalWriteError extends Error {
  readonly name = "JournalWriteError"
}

/** A journal line that cannot be read: not JSON, not a known event, out of sequence. Names the line. */
export class JournalReadError extends Error {
  readonly name = "JournalReadError"
}

/** Writes every byte or throws: `write` may write fewer bytes than asked (a nearly full disk). */
function writeFully(fs: JournalFs, fd: number, buffer: Buffer): void {
  let offset = 0
  while (offset < buffer.length) {
    const written = fs.writeSync(fd, buffer, offset, buffer.length - offset)
    if (written <= 0) throw Object.assign(new Error("no bytes written"), { code: "ENOSPC" })
    offset += written
  }
}

/** The journal line of one event: version, time, sequence number (when numbered), the event. */
function entryOf(event: MissionEvent, seq: number | undefined, now: Date): JournalEntry {
  return { v: journalVersion, at: now.toISOString(), ...(seq === undefined ? {} : { seq }), ...event } as JournalEntry
}

const lineOf = (entry: JournalEntry) => Buffer.from(JSON.stringify(entry) + "\n", "utf8")

function writeError(error: unknown): JournalWriteError {
  const code = (error as NodeJS.ErrnoException).code ?? "error"
  return new JournalWriteError(`the journal could not be written (${code}): ${(error as Error).message}`)
}

/**
 * Appends one event as one JSON line and flushes it to disk before returning. A write that does
 * not complete is undone (the file is cut back to where it was) and throws JournalWriteError.
 */
export function appendJournal(file: string, event: MissionEvent, options: { seq?: number; now?: Date; fs?: JournalFs } = {}): JournalEntry {
  const fs = options.fs ?? nodeFs
  const entry = entryOf(event, options.seq, options.now ?? new Date())
  let fd: number | undefined
  let sizeBefore: number | undefined
  try {
    fd = fs.openSync(file, "a")
    sizeBefore = fs.fstatSync(fd).size
    writeFully(fs, fd, lineOf(entry))
    fs.fdatasyncSync(fd)
  } catch (error) {
    if (fd !== undefined && sizeBefore !== undefined) {
      try {
        fs.ftruncateSync(fd, sizeBefore)
      } catch {}
    }
    throw writeError(error)
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
  return entry
}

/**
 * A mission's journal, held open by the process that writes it. Each event is written in full
 * before `append` returns, so a killed process loses nothing it went on from; the fdatasync that
 * makes the writes survive a power loss is shared by the events of one event-loop turn (and
 * forced by `sync()`, before anything is acknowledged). A write that does not complete is undone
 * and throws JournalWriteError; a failed sync is reported to `onSyncError` and fails every later append.
 */
export class JournalAppender {
  private fd?: number
  private size = 0
  private unsynced = false
  private scheduled?: NodeJS.Immediate
  private failure?: JournalWriteError

  constructor(
    readonly file: string,
    private readonly onSyncError: (error: JournalWriteError) => void = () => {},
    private readonly fs: JournalFs = nodeFs,
  ) {}

  append(event: MissionEvent, seq: number, now = new Date()): JournalEntry {
    if (this.failure) throw this.failure
    const entry = entryOf(event, seq, now)
    const line = lineOf(entry)
    try {
      if (this.fd === undefined) {
        this.fd = this.fs.openSync(this.file, "a")
        this.size = this.fs.fstatSync(this.fd).size
      }
      writeFully(this.fs, this.fd, line)
      this.size += line.length
    } catch (error) {
      if (this.fd !== undefined)
        try {
          this.fs.ftruncateSync(this.fd, this.size)
        } catch {}
      this.closeQuietly()
      throw writeError(error)
    }
    this.unsynced = true
    this.scheduled ??= setImmediate(() => this.sync())
    return entry
  }

  /** Flushes what was written to the disk now. */
  sync(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    if (!this.unsynced || this.fd === undefined) return
    try {
      this.fs.fdatasyncSync(this.fd)
      this.unsynced = false
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error"
      this.failure = new JournalWriteError(`the journal could not be flushed to disk (${code}): ${(error as Error).message}`)
      this.closeQuietly()
      this.onSyncError(this.failure)
    }
  }

  /** Syncs and lets go of the file (another process may write it next). */
  close(): void {
    this.sync()
    this.closeQuietly()
  }

  private closeQuietly(): void {
    if (this.fd !== undefined)
      try {
        this.fs.closeSync(this.fd)
      } catch {}
    this.fd = undefined
  }
}

export interface JournalRead {
  entries: JournalEntry[]
  /** Set when the last line was torn (a crash mid-append) and was left out. */
  tornTail?: string
  /** The last complete line has no newline after it (a crash between the line and its newline). */
  missingNewline: boolean
  /** Lines that repeated an earlier line byte for byte (same `seq`): left out. */
  replayed: number
  /** The line number (1-based) of each entry. */
  lineOf: number[]
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join(".") : "event"}: ${issue.message}`)
    .join("; ")
}

/**
 * Reads a journal, in one pass. Every line is checked against the event schema and its place in
 * the sequence; a bad line is refused with its number and the problem, never skipped or reset.
 * A torn last line is left out and reported; a line that repeats an earlier one exactly is
 * left out and counted; any other replayed or missing event is refused.
 */
export function readJournal(file: string): JournalRead {
  const text = nodeFs.readFileSync(file, "utf8")
  const lines = text.split("\n")
  let last = lines.length - 1
  while (last >= 0 && lines[last]!.trim() === "") last--
  const entries: JournalEntry[] = []
  const lineOf: number[] = []
  const lineOfSeq: string[] = []
  let tornTail: string | undefined
  let replayed = 0
  const refuse = (index: number, problem: string) => new JournalReadError(`${path.basename(file)}: line ${index + 1}: ${problem}`)
  for (let index = 0; index <= last; index++) {
    const line = lines[index]!
    if (line.trim() === "") continue
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch {
      if (index === last) {
        tornTail = line
        break
      }
      throw refuse(index, "not a JSON line")
    }
    const version = (raw as { v?: unknown } | null)?.v
    if (version !== 1 && version !== journalVersion) throw refuse(index, `unknown journal version ${JSON.stringify(version)}`)
    const parsed = JournalEntrySchema.safeParse(raw)
    if (!parsed.success) throw refuse(index, `not a valid event (${describeIssues(parsed.error)})`)
    const entry = parsed.data as JournalEntry
    if (entry.seq !== undefined) {
      const expected = entries.length + 1
      if (entry.seq < expected && lineOfSeq[entry.seq - 1] === line) {
        replayed++
        continue
      }
      if (entry.seq !== expected) throw refuse(index, `event ${entry.seq} (${entry.type}) where event ${expected} was expected: a replayed or lost event`)
    }
    lineOfSeq.push(line)
    entries.push(entry)
    lineOf.push(index + 1)
  }
  const missingNewline = tornTail === undefined && last >= 0 && !text.endsWith("\n")
  return { entries, tornTail, missingNewline, replayed, lineOf }
}

/**
 * Makes the file end after its last complete line, with its newline, before anything is appended:
 * a torn line is cut off; a complete line without its newline gets one. Returns what was repaired.
 */
export function repairJournalTail(file: string, read: JournalRead): string | undefined {
  if (read.tornTail !== undefined) {
    const size = nodeFs.statSync(file).size
    const cut = size - Buffer.byteLength(read.tornTail)
    nodeFs.truncateSync(file, cut)
    return `the journal's last line was torn (${Buffer.byteLength(read.tornTail)} bytes) and was cut off; the mission resumes after its last complete event`
  }
  if (read.missingNewline) {
    const fd = nodeFs.openSync(file, "a")
    try {
      nodeFs.writeSync(fd, "\n")
      nodeFs.fdatasyncSync(fd)
    } finally {
      nodeFs.closeSync(fd)
    }
    return "the journal's last line had no newline; one was added"
  }
  return undefined
}

/**
 * Writes a whole file atomically: temp file in the same folder, then rename. `durable` (the
 * default) fsyncs it first; files rendered from the journal (TODO.md) skip that: the journal is
 * the record, and they are rendered again on a resume.
 */
export function writeFileAtomic(file: string, content: string, options: { durable?: boolean } = {}): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  const fd = nodeFs.openSync(temp, "w")
  try {
    writeFully(nodeFs, fd, Buffer.from(content, "utf8"))
    if (options.durable !== false) nodeFs.fsyncSync(fd)
  } finally {
    nodeFs.closeSync(fd)
  }
  nodeFs.renameSync(temp, file)
}
