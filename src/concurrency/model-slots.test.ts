import { test } from "node:test"
import assert from "node:assert/strict"
import { ModelSlots } from "./model-slots.js"

test("each model has its own slots, shared by whoever asks for that model", async () => {
  const slots = new ModelSlots()
  const a = await slots.hold("p/a", 1, "ses_1")
  // Another mission on the same model waits; a different model does not.
  const waiting = slots.hold("p/a", 1, "ses_2")
  await slots.hold("p/b", 1, "ses_3")
  assert.equal(slots.pool("p/a", 1).running, 1)
  a()
  await waiting
  assert.equal(slots.pool("p/a", 1).running, 1)
  assert.equal(slots.pool("p/b", 1).running, 1)
})

test("a mission that allows more raises the shared maximum, never lowers it", () => {
  const slots = new ModelSlots()
  assert.equal(slots.pool("p/a", 2).slots, 2)
  slots.pool("p/a", 4).overloaded()
  assert.equal(slots.pool("p/a", 1).slots, 1, "halved from 2")
  for (let i = 0; i < 10; i++) slots.pool("p/a", 1).succeeded()
  assert.equal(slots.pool("p/a", 1).slots, 4, "grew back to the raised maximum")
})

test("the host retrying a session's request shrinks the slots of the model that session holds, only while it holds one", async () => {
  const slots = new ModelSlots({ cooldownMs: 0 })
  const release = await slots.hold("p/a", 4, "ses_1")
  slots.retrying("ses_1", Date.now() + 50)
  assert.equal(slots.pool("p/a", 4).slots, 2)
  slots.retrying("ses_unknown", Date.now() + 50)
  assert.equal(slots.pool("p/a", 4).slots, 2)
  release()
  slots.retrying("ses_1", Date.now() + 50)
  assert.equal(slots.pool("p/a", 4).slots, 2, "released: its retries are no longer ours to count")
})
