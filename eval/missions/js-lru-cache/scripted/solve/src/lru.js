/** A Map keeps insertion order: the first key is the least recently used one. */
export class LruCache {
  #entries = new Map()
  constructor(capacity) {
    if (!(capacity >= 1)) throw new RangeError("capacity must be at least 1")
    this.capacity = capacity
  }
  get size() {
    return this.#entries.size
  }
  has(key) {
    return this.#entries.has(key)
  }
  get(key) {
    if (!this.#entries.has(key)) return undefined
    const value = this.#entries.get(key)
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }
  set(key, value) {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value)
    return this
  }
  delete(key) {
    return this.#entries.delete(key)
  }
}
