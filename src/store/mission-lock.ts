import { randomUUID } from "node:crypto"
import { linkSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"

interface LockRecord {
  pid: number
  hostname: string
  /** Who owns it: a random id per acquisition, so an owner knows its own lock from a newer one. */
  token: string
  acquiredAt: string
}

export interface MissionLock {
  /** Set when a stale lock (its owner dead or silent) was taken over. */
  tookOver?: string
  /** Stops the heartbeat and removes the lock file, only if it is still this owner's. */
  release(): void
}

export interface LockOptions {
  /** Called once when a heartbeat finds the lock gone or owned by another process: stop writing now. */
  onLost?: (reason: string) => void
  heartbeatMs?: number
  staleAfterMs?: number
}

export type LockOutcome = { ok: true; value: MissionLock } | { ok: false; error: string }

export const heartbeatMs = 5_000
export const staleAfterMs = 30_000
/** A takeover holds its own small lock for milliseconds; one older than this was left by a crash. */
const takeoverStaleMs = 10_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** Creates `file` with the record's content in one atomic step (hard link of a finished temp file); false if it exists. */
function createExclusive(file: string, record: LockRecord): boolean {
  const temp = `${file}.${record.token}.tmp`
  writeFileSync(temp, JSON.stringify(record))
  try {
    linkSync(temp, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false
    throw error
  } finally {
    unlinkSync(temp)
  }
}

type Held = { record: LockRecord; beatAt: number } | "missing" | "unreadable"

function readHeld(file: string): Held {
  try {
    const beatAt = statSync(file).mtimeMs
    const record = JSON.parse(readFileSync(file, "utf8")) as LockRecord
    if (typeof record?.pid !== "number" || typeof record.token !== "string") return "unreadable"
    return { record, beatAt }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable"
  }
}

function removeIfOwned(file: string, token: string): void {
  const held = readHeld(file)
  if (typeof held === "object" && held.record.token === token) unlinkSync(file)
}

/**
 * One engine per mission: `lock.json` in the mission folder names its owner (pid, host, a token)
 * and its modification time is the heartbeat, touched every 5 s after checking the lock is still
 * ours. Creation is atomic (a hard link), so of any number of processes starting at once exactly
 * one gets the lock. A lock whose owner is dead, or silent for 30 s, is taken over under a second,
 * short-lived lock, so two takeovers cannot both win. An owner that finds its lock taken stops
 * (`onLost`); release removes only one's own lock.
 */
export function acquireMissionLock(folder: string, options: LockOptions = {}): LockOutcome {
  const file = path.join(folder, "lock.json")
  const staleMs = options.staleAfterMs ?? staleAfterMs
  const record: LockRecord = { pid: process.pid, hostname: os.hostname(), token: randomUUID(), acquiredAt: new Date().toISOString() }
  let tookOver: string | undefined
  const owned = (): LockOutcome => ({ ok: true, value: heartbeat(file, record, options, tookOver) })

  if (createExclusive(file, record)) return owned()
  const held = readHeld(file)
  if (held === "missing") return createExclusive(file, record) ? owned() : { ok: false, error: "another orchestrator took the lock of this mission just now" }
  if (typeof held === "object") {
    const { record: owner, beatAt } = held
    const silentMs = Date.now() - beatAt
    const sameHost = owner.hostname === os.hostname()
    const ownerAlive = !sameHost || alive(owner.pid)
    if (ownerAlive && silentMs < staleMs) return { ok: false, error: `another orchestrator (pid ${owner.pid} on ${owner.hostname}) is running this mission` }
    tookOver = `took over the lock of pid ${owner.pid} (${ownerAlive ? "silent" : "gone"})`
  } else tookOver = "took over an unreadable lock"

  // Stale: replace it, holding the takeover lock, and only if it is still the stale one we saw.
  const takeover = `${file}.takeover`
  if (!createExclusive(takeover, record)) {
    const other = readHeld(takeover)
    if (typeof other === "object" && Date.now() - other.beatAt > takeoverStaleMs) removeIfOwned(takeover, other.record.token)
    return { ok: false, error: "another orchestrator is taking over the lock of this mission" }
  }
  try {
    const again = readHeld(file)
    const unchanged = typeof held === "object" ? typeof again === "object" && again.record.token === held.record.token : again === "unreadable"
    if (unchanged) unlinkSync(file)
    return createExclusive(file, record) ? owned() : { ok: false, error: "another orchestrator took the lock of this mission just now" }
  } finally {
    removeIfOwned(takeover, record.token)
  }
}

function heartbeat(file: string, record: LockRecord, options: LockOptions, tookOver: string | undefined): MissionLock {
  let lost = false
  const beat = () => {
    if (lost) return
    const held = readHeld(file)
    if (typeof held === "object" && held.record.token === record.token) {
      const now = new Date()
      utimesSync(file, now, now)
      return
    }
    lost = true
    clearInterval(timer)
    const by = typeof held === "object" ? `pid ${held.record.pid} on ${held.record.hostname}` : "nobody (the lock file is gone)"
    options.onLost?.(`the mission's lock is now held by ${by}; this process stops working on it`)
  }
  const timer = setInterval(beat, options.heartbeatMs ?? heartbeatMs)
  timer.unref()
  return {
    tookOver,
    release() {
      clearInterval(timer)
      if (!lost) removeIfOwned(file, record.token)
    },
  }
}
