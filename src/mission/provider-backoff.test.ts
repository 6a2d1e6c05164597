import { test } from "node:test"
import assert from "node:assert/strict"
import { allowedConcurrency, retryDelayMs, shouldPause } from "./provider-backoff.js"

const settings = { baseSeconds: 2, pauseAfter: 4 }

test("retries wait exponentially longer, capped at a minute", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((failures) => retryDelayMs(failures, settings)), [0, 2000, 4000, 8000, 16000, 60000])
})

test("concurrency halves per consecutive failure, never below one; the mission pauses at the bound", () => {
  assert.deepEqual([0, 1, 2, 3].map((failures) => allowedConcurrency(6, failures)), [6, 3, 1, 1])
  assert.deepEqual([3, 4].map((failures) => shouldPause(failures, settings)), [false, true])
})
