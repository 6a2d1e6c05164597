import { test } from "node:test"
import assert from "node:assert/strict"
import { label } from "../src/label.js"

test("a label names the product", () => {
  assert.match(label({ name: "Tea", cents: 350 }), /^Tea: /)
})
