import { test } from "node:test"
import assert from "node:assert/strict"
import { tokenize } from "../src/tokenize.js"

test("numbers and operators", () => {
  assert.deepEqual(tokenize("12+3"), [{ type: "number", value: 12 }, { type: "+" }, { type: "number", value: 3 }])
  assert.throws(() => tokenize("1 $ 2"))
})
