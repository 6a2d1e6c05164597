import { test } from "node:test"
import assert from "node:assert/strict"
import { cachedFetcher } from "../src/fetcher.js"

test("a key is loaded once", async () => {
  let loads = 0
  const fetch = cachedFetcher(async (key) => (loads++, key.toUpperCase()))
  assert.equal(await fetch("a"), "A")
  assert.equal(await fetch("a"), "A")
  assert.equal(loads, 1)
})
