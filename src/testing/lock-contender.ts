// One contender of the lock race test: waits until the given time, tries the mission lock once,
// prints "owner" or "refused: …". A winner holds the lock until `<folder>/stop` exists (at most a
// minute), so every contender meets a held lock however late the machine lets it start.
// Usage: node --import tsx src/testing/lock-contender.ts <folder> <epoch ms>
import { existsSync } from "node:fs"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { acquireMissionLock } from "../store/mission-lock.js"

const [folder, at] = process.argv.slice(2)
await sleep(Math.max(0, Number(at) - Date.now()))
const lock = acquireMissionLock(folder!)
console.log(lock.ok ? "owner" : `refused: ${lock.error}`)
if (lock.ok) {
  for (const until = Date.now() + 60_000; !existsSync(path.join(folder!, "stop")) && Date.now() < until; ) await sleep(20)
  lock.value.release()
}
