import { LruCache } from "./lru.js"

/** Calls `load(key)` once per key while it stays among the `capacity` most recently used. */
export function cachedFetcher(load, capacity = 100) {
  const cache = new LruCache(capacity)
  return async (key) => {
    if (cache.has(key)) return cache.get(key)
    const value = await load(key)
    cache.set(key, value)
    return value
  }
}
