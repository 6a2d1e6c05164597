import { readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { writeFileAtomic } from "./journal.js"

interface LockRecord {
  pid: number
  hostname: string
  heartbeatAt: string
}

export interface MissionLock {
  /** Set when a stale lock (its owner dead or silent) was taken over. */
  tookOver?: string
  release(): void
}

export const heartbeatMs = 5_000
export const staleAfterMs = 30_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * One engine per mission: `lock.json` in the mission folder holds the owner's pid and a heartbeat
 * written every 5 s. Another owner that is alive and beating refuses the lock (an error for the
 * user); a dead or silent one is taken over.
 */
export function acquireMissionLock(folder: string, now = () => Date.now()): { ok: true; value: MissionLock } | { ok: false; error: string } {
  const file = path.join(folder, "lock.json")
  let tookOver: string | undefined
  try {
    const held = JSON.parse(readFileSync(file, "utf8")) as LockRecord
    const silentMs = now() - Date.parse(held.heartbeatAt)
    const sameHost = held.hostname === os.hostname()
    if (held.pid !== process.pid && (!sameHost || alive(held.pid)) && silentMs < staleAfterMs)
      return { ok: false, error: `another orchestrator (pid ${held.pid} on ${held.hostname}) is running this mission` }
    if (held.pid !== process.pid) tookOver = `took over the lock of pid ${held.pid} (${alive(held.pid) && sameHost ? "silent" : "gone"})`
  } catch {}
  const beat = () => writeFileAtomic(file, JSON.stringify({ pid: process.pid, hostname: os.hostname(), heartbeatAt: new Date(now()).toISOString() } satisfies LockRecord))
  beat()
  const timer = setInterval(beat, heartbeatMs)
  timer.unref()
  return {
    ok: true,
    value: {
      tookOver,
      release() {
        clearInterval(timer)
        rmSync(file, { force: true })
      },
    },
  }
}
