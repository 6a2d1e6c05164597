import { test } from "node:test"
import assert from "node:assert/strict"
import { LruCache } from "../src/lru.js"
import { cachedFetcher } from "../src/fetcher.js"

test("a full cache evicts the least recently used entry", () => {
  const cache = new LruCache(2)
  cache.set("a", 1)
  cache.set("b", 2)
  cache.set("c", 3)
  assert.equal(cache.has("a"), false)
  assert.equal(cache.get("b"), 2)
  assert.equal(cache.size, 2)
})

test("a get counts as a use", () => {
  const cache = new LruCache(2)
  cache.set("a", 1)
  cache.set("b", 2)
  assert.equal(cache.get("a"), 1)
  cache.set("c", 3)
  assert.equal(cache.has("a"), true)
  assert.equal(cache.has("b"), false)
})

test("setting a key again updates it without growing", () => {
  const cache = new LruCache(2)
  cache.set("a", 1)
  cache.set("a", 2)
  assert.equal(cache.size, 1)
  assert.equal(cache.get("a"), 2)
  assert.equal(cache.delete("a"), true)
  assert.equal(cache.get("a"), undefined)
})

test("the fetcher's memory is bounded", async () => {
  let loads = 0
  const fetch = cachedFetcher(async (key) => (loads++, key), 2)
  for (const key of ["a", "b", "c", "a"]) await fetch(key)
  assert.equal(loads, 4)
})
