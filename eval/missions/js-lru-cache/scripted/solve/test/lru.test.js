import { test } from "node:test"
import assert from "node:assert/strict"
import { LruCache } from "../src/lru.js"

test("a full cache evicts its oldest entry", () => {
  const cache = new LruCache(2)
  cache.set("a", 1).set("b", 2).set("c", 3)
  assert.equal(cache.has("a"), false)
  assert.equal(cache.size, 2)
})
