import { test } from "node:test"
import assert from "node:assert/strict"
import { evaluate } from "../src/evaluate.js"
import { tokenize } from "../src/tokenize.js"

test("precedence and parentheses", () => {
  assert.equal(evaluate("1 + 2 * 3"), 7)
  assert.equal(evaluate("2 * (3 + 4) - 1"), 13)
  assert.equal(evaluate("(((5)))"), 5)
})

test("operators of one level go left to right", () => {
  assert.equal(evaluate("10 - 4 - 3"), 3)
  assert.equal(evaluate("8 / 2 / 2"), 2)
  assert.equal(evaluate("2 - 3 + 4"), 3)
})

test("decimals and spacing", () => {
  assert.equal(evaluate("1.5*4"), 6)
  assert.equal(tokenize(" 12+3 ").length, 3)
})

test("bad input throws", () => {
  for (const text of ["2 +", "(1 + 2", "1 $ 2", ""]) assert.throws(() => evaluate(text), undefined, text)
})
