import { test } from "node:test"
import assert from "node:assert/strict"
import { formatPrice } from "../src/format.js"
import { label } from "../src/label.js"

test("formatPrice", () => {
  assert.equal(formatPrice(350), "3,50 €")
  assert.equal(formatPrice(-1200), "-12,00 €")
  assert.equal(label({ name: "Tea", cents: 350 }), "Tea: 3,50 €")
})
