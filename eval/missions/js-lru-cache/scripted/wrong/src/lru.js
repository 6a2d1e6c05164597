/** A Map keeps insertion order: the first key is the oldest one. */
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
    return this.#entries.get(key)
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
