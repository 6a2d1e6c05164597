import { test } from "node:test"
import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { acquireMissionLock, staleAfterMs } from "./mission-lock.js"

const folder = () => mkdtempSync(path.join(os.tmpdir(), "lock-"))
const record = (pid: number, heartbeatAt: Date) => JSON.stringify({ pid, hostname: os.hostname(), heartbeatAt: heartbeatAt.toISOString() })

test("a live owner with a fresh heartbeat refuses the lock, with its pid", () => {
  const dir = folder()
  writeFileSync(path.join(dir, "lock.json"), record(process.ppid, new Date()))
  const lock = acquireMissionLock(dir)
  assert.equal(lock.ok, false)
  assert.match(lock.ok ? "" : lock.error, new RegExp(`pid ${process.ppid}`))
})

test("a dead owner's lock, or a silent one, is taken over; release removes it", () => {
  const dead = spawnSync("true").pid!
  const dir = folder()
  writeFileSync(path.join(dir, "lock.json"), record(dead, new Date()))
  const lock = acquireMissionLock(dir)
  assert.ok(lock.ok)
  assert.match(lock.value.tookOver ?? "", /gone/)
  lock.value.release()
  assert.equal(existsSync(path.join(dir, "lock.json")), false)

  writeFileSync(path.join(dir, "lock.json"), record(process.ppid, new Date(Date.now() - staleAfterMs - 1000)))
  const silent = acquireMissionLock(dir)
  assert.ok(silent.ok)
  assert.match(silent.value.tookOver ?? "", /silent/)
  silent.value.release()
})
