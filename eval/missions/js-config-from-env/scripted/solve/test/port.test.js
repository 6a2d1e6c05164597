import { test } from "node:test"
import assert from "node:assert/strict"
import { parsePort } from "../src/port.js"

test("parsePort", () => {
  assert.equal(parsePort("8080"), 8080)
  assert.throws(() => parsePort("0"))
  assert.throws(() => parsePort("abc"))
})
