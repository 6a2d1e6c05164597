import { test } from "node:test"
import assert from "node:assert/strict"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { acquireMissionLock, staleAfterMs } from "./mission-lock.js"

const folder = () => mkdtempSync(path.join(os.tmpdir(), "lock-"))
const lockFile = (dir: string) => path.join(dir, "lock.json")
/** A lock file as another owner left it, its heartbeat (mtime) `ageMs` old. */
function planted(dir: string, pid: number, ageMs = 0): void {
  writeFileSync(lockFile(dir), JSON.stringify({ pid, hostname: os.hostname(), token: "theirs", acquiredAt: new Date().toISOString() }))
  const beat = new Date(Date.now() - ageMs)
  utimesSync(lockFile(dir), beat, beat)
}

test("a live owner with a fresh heartbeat refuses the lock, with its pid", () => {
  const dir = folder()
  planted(dir, process.ppid)
  const lock = acquireMissionLock(dir)
  assert.equal(lock.ok, false)
  assert.match(lock.ok ? "" : lock.error, new RegExp(`pid ${process.ppid}`))
})

test("a dead owner's lock, or a silent one, is taken over; release removes it", () => {
  const dead = spawnSync("true").pid!
  const dir = folder()
  planted(dir, dead)
  const lock = acquireMissionLock(dir)
  assert.ok(lock.ok)
  assert.match(lock.value.tookOver ?? "", /gone/)
  lock.value.release()
  assert.equal(existsSync(lockFile(dir)), false)

  planted(dir, process.ppid, staleAfterMs + 1000)
  const silent = acquireMissionLock(dir)
  assert.ok(silent.ok)
  assert.match(silent.value.tookOver ?? "", /silent/)
  silent.value.release()
})

test("an owner that was taken over stops at its next heartbeat, and its release leaves the new owner's lock", async () => {
  const dir = folder()
  const lost: string[] = []
  const first = acquireMissionLock(dir, { heartbeatMs: 20, onLost: (reason) => lost.push(reason) })
  assert.ok(first.ok)
  // It went silent (a stopped process): its heartbeat is old, so another takes over.
  const old = new Date(Date.now() - staleAfterMs - 1000)
  utimesSync(lockFile(dir), old, old)
  const second = acquireMissionLock(dir)
  assert.ok(second.ok)
  for (let waited = 0; lost.length === 0 && waited < 5000; waited += 20) await sleep(20)
  assert.equal(lost.length, 1)
  assert.match(lost[0]!, new RegExp(`held by pid ${process.pid}`))
  const owner = readFileSync(lockFile(dir), "utf8")
  first.value.release()
  assert.equal(readFileSync(lockFile(dir), "utf8"), owner, "the old owner's release did not delete the new lock")
  second.value.release()
  assert.equal(existsSync(lockFile(dir)), false)
})

test("20 processes racing for a lock, free or stale, end with exactly one owner", { timeout: 180_000 }, async () => {
  const contender = new URL("../testing/lock-contender.ts", import.meta.url).pathname
  for (const stale of [false, true]) {
    const dir = folder()
    if (stale) planted(dir, spawnSync("true").pid!)
    const go = Date.now() + 4000
    let answered = 0
    const results = await Promise.all(
      Array.from({ length: 20 }, () => {
        const child = spawn(process.execPath, ["--import", "tsx", contender, dir, String(go)], { stdio: ["ignore", "pipe", "inherit"] })
        let out = ""
        child.stdout.on("data", (chunk) => {
          out += chunk
          // Once all 20 have answered, the winner may let go.
          if (out.includes("\n") && ++answered === 20) writeFileSync(path.join(dir, "stop"), "")
        })
        return new Promise<string>((resolve) => child.on("close", () => resolve(out.trim())))
      }),
    )
    assert.equal(results.filter((result) => result === "owner").length, 1, `${stale ? "stale" : "free"} lock: ${results.join(" ")}`)
    assert.equal(results.filter((result) => result.startsWith("refused")).length, 19, results.join(" "))
  }
})
