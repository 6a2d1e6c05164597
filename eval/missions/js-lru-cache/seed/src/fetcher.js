/** Calls `load(key)` once per key; later calls answer from memory. */
export function cachedFetcher(load, capacity = 100) {
  const cache = new Map()
  return async (key) => {
    if (cache.has(key)) return cache.get(key)
    const value = await load(key)
    cache.set(key, value)
    return value
  }
}
