import { test } from "node:test"
import assert from "node:assert/strict"
import { oneAtATime } from "./one-at-a-time.js"

test("work runs one piece at a time, in order, and a failure does not stop the queue", async () => {
  const queue = oneAtATime()
  const log: string[] = []
  let active = 0
  const piece = (name: string, fail = false) => async () => {
    active++
    assert.equal(active, 1)
    await new Promise((resolve) => setTimeout(resolve, 5))
    log.push(name)
    active--
    if (fail) throw new Error(name)
    return name
  }
  const results = await Promise.allSettled([queue(piece("a")), queue(piece("b", true)), queue(piece("c"))])
  assert.deepEqual(log, ["a", "b", "c"])
  assert.deepEqual(results.map((result) => result.status), ["fulfilled", "rejected", "fulfilled"])
})
