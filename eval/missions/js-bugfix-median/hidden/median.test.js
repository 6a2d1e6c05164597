import { test } from "node:test"
import assert from "node:assert/strict"
import { median } from "../src/stats.js"

test("even counts average the middle two", () => {
  assert.equal(median([1, 2, 3, 4]), 2.5)
  assert.equal(median([10, 2]), 6)
})

test("numbers sort by value, not as text", () => {
  assert.equal(median([10, 9, 2]), 9)
  assert.equal(median([100, 20, 3, 4]), 12)
})

test("the input is left as it was", () => {
  const values = [3, 1, 2]
  median(values)
  assert.deepEqual(values, [3, 1, 2])
})

test("an empty list has no median", () => {
  assert.ok(Number.isNaN(median([])))
})
