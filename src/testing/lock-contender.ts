// One contender of the lock race test: waits until the given time, tries the mission lock once,
// prints "owner" or "refused: …", and holds a won lock for a second (so the pid stays alive).
// Usage: node --import tsx src/testing/lock-contender.ts <folder> <epoch ms>
import { setTimeout as sleep } from "node:timers/promises"
import { acquireMissionLock } from "../store/mission-lock.js"

const [folder, at] = process.argv.slice(2)
await sleep(Math.max(0, Number(at) - Date.now()))
const lock = acquireMissionLock(folder!)
console.log(lock.ok ? "owner" : `refused: ${lock.error}`)
if (lock.ok) {
  await sleep(1000)
  lock.value.release()
}
