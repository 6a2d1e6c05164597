import { test } from "node:test"
import assert from "node:assert/strict"

test("the project runs its tests", () => {
  assert.equal(1 + 1, 2)
})
