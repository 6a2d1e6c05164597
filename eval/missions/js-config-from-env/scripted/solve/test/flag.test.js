import { test } from "node:test"
import assert from "node:assert/strict"
import { parseFlag } from "../src/flag.js"

test("parseFlag", () => {
  assert.equal(parseFlag("YES"), true)
  assert.equal(parseFlag(""), false)
  assert.throws(() => parseFlag("maybe"))
})
