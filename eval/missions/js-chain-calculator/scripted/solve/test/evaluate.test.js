import { test } from "node:test"
import assert from "node:assert/strict"
import { evaluate } from "../src/evaluate.js"

test("evaluate", () => {
  assert.equal(evaluate("2 * (3 + 4) - 1"), 13)
  assert.equal(evaluate("1 + 2 * 3"), 7)
})
