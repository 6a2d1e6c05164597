import { test } from "node:test"
import assert from "node:assert/strict"
import { AdaptiveSlots, type SlotChange } from "./adaptive-slots.js"

function clocked(max: number) {
  let now = 0
  const slots = new AdaptiveSlots({ max, cooldownMs: 1000, now: () => now })
  const changes: SlotChange[] = []
  slots.onChange((change) => changes.push(change))
  return { slots, changes, advance: (ms: number) => void (now += ms) }
}

const settled = async <T>(promise: Promise<T>) => Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20))])

test("at most `slots` conversations at once; a release lets the next one in", async () => {
  const { slots } = clocked(2)
  const first = await slots.acquire()
  await slots.acquire()
  const third = slots.acquire()
  assert.equal(await settled(third), false)
  first()
  first() // a second release of the same slot gives nothing back
  assert.equal(await settled(third), true)
  assert.equal(slots.running, 2)
})

test("an overload halves the slots, once per cooldown, never below one", () => {
  const { slots, changes, advance } = clocked(8)
  slots.overloaded()
  slots.overloaded() // the same burst
  assert.equal(slots.slots, 4)
  advance(1000)
  slots.overloaded()
  advance(1000)
  slots.overloaded()
  advance(1000)
  slots.overloaded()
  assert.equal(slots.slots, 1)
  assert.deepEqual(changes.map((change) => [change.slots, change.reason]), [[4, "overload"], [2, "overload"], [1, "overload"]])
})

test("slots grow back by one after as many successes as there are slots, up to the maximum", () => {
  const { slots, changes, advance } = clocked(4)
  slots.overloaded()
  advance(1000)
  slots.overloaded()
  assert.equal(slots.slots, 1)
  const grown: number[] = []
  for (let i = 0; i < 20; i++) {
    slots.succeeded()
    grown.push(slots.slots)
  }
  // 1 success to reach 2, 2 more to reach 3, 3 more to reach 4, then no further.
  assert.deepEqual(grown.slice(0, 7), [2, 2, 3, 3, 3, 4, 4])
  assert.equal(Math.max(...grown), 4)
  assert.deepEqual(changes.filter((change) => change.reason === "success").map((change) => change.slots), [2, 3, 4])
})

test("a Retry-After holds every new start until it has passed", async () => {
  const slots = new AdaptiveSlots({ max: 4, cooldownMs: 0 })
  const changes: SlotChange[] = []
  slots.onChange((change) => changes.push(change))
  const started = Date.now()
  slots.overloaded(150)
  assert.equal(slots.slots, 2)
  assert.equal(changes[0]!.reason, "retry-after")
  assert.ok(changes[0]!.until! >= started + 150)
  await slots.acquire()
  assert.ok(Date.now() - started >= 140, `started after ${Date.now() - started} ms`)
})

test("latency that doubles against its own kind's baseline counts as an overload; noise, and slower kinds, do not", () => {
  const { slots, changes } = clocked(4)
  for (let i = 0; i < 20; i++) {
    slots.succeeded({ ms: i % 2 ? 300 : 500, kind: "reviewer" })
    // A worker's requests are slower than a reviewer's, always: not a rise.
    slots.succeeded({ ms: 15_000, kind: "worker" })
  }
  assert.equal(slots.slots, 4)
  slots.succeeded({ ms: 9000, kind: "reviewer" })
  assert.equal(slots.slots, 2)
  assert.equal(changes.at(-1)!.reason, "latency")
})

test("a waiting acquire ends when its signal aborts", async () => {
  const { slots } = clocked(1)
  await slots.acquire()
  const controller = new AbortController()
  const waiting = slots.acquire(controller.signal)
  controller.abort(new Error("stopped"))
  await assert.rejects(waiting, /stopped/)
})
