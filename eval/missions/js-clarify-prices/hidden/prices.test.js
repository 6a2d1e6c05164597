import { test } from "node:test"
import assert from "node:assert/strict"
import { formatPrice } from "../src/format.js"
import { label } from "../src/label.js"

test("euros, German style", () => {
  assert.equal(formatPrice(350), "3,50 €")
  assert.equal(formatPrice(5), "0,05 €")
  assert.equal(formatPrice(123450), "1.234,50 €")
  assert.equal(formatPrice(100000000), "1.000.000,00 €")
})

test("negative amounts", () => {
  assert.equal(formatPrice(-1200), "-12,00 €")
})

test("labels show the formatted price", () => {
  assert.equal(label({ name: "Tea", cents: 123450 }), "Tea: 1.234,50 €")
})
