import { test } from "node:test"
import assert from "node:assert/strict"
import { tokenize } from "../src/tokenize.js"
import { parse } from "../src/parse.js"

test("* binds tighter than +", () => {
  const tree = parse(tokenize("1 + 2 * 3"))
  assert.equal(tree.operator, "+")
  assert.equal(tree.right.operator, "*")
})

test("a missing ) throws", () => {
  assert.throws(() => parse(tokenize("(1 + 2")))
})
