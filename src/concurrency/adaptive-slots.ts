// Adaptive slots for one provider/model: how many model conversations may run at once. AIMD, as
// TCP does it: one more slot after as many successes as there are slots; half of them on an
// overload (a 429 or 5xx the host is retrying, a turn that failed on the provider, latency that
// doubled against its own baseline), at most once per cooldown so one burst halves them once; a
// Retry-After holds every new start until it has passed. Never fewer than one, never more than
// the configured maximum.

/** Latency counts only once it has this many samples, and only a rise of more than this. */
const latencySamples = 8
const latencyNoiseMs = 2000

export type SlotChangeReason = "success" | "overload" | "retry-after" | "latency" | "maximum"

export interface SlotChange {
  slots: number
  reason: SlotChangeReason
  /** For "retry-after": until when new conversations wait (epoch ms). */
  until?: number
}

export interface SlotOptions {
  max: number
  /** Decreases closer together than this count as one (ms). */
  cooldownMs?: number
  now?: () => number
}

export class AdaptiveSlots {
  private limit: number
  private successes = 0
  private lastDecrease = -Infinity
  private heldUntil = 0
  private inUse = 0
  private readonly waiting: Array<() => void> = []
  private timer?: NodeJS.Timeout
  /** Per-request latency by kind of conversation (a worker's and a reviewer's differ), smoothed slowly (the baseline) and quickly (now). */
  private readonly latency = new Map<string, { baseline: number; recent: number; samples: number }>()
  private readonly listeners = new Set<(change: SlotChange) => void>()
  private readonly now: () => number
  private readonly cooldownMs: number
  private max: number

  constructor(options: SlotOptions) {
    this.max = Math.max(1, Math.floor(options.max))
    this.limit = this.max
    this.now = options.now ?? Date.now
    this.cooldownMs = options.cooldownMs ?? 2000
  }

  get slots(): number {
    return this.limit
  }

  get running(): number {
    return this.inUse
  }

  onChange(listener: (change: SlotChange) => void): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  /** A mission with a higher `concurrency` shares these slots: the maximum is the highest asked for. */
  raiseMaximum(max: number): void {
    const next = Math.max(this.max, Math.floor(max))
    if (next === this.max) return
    this.max = next
    this.emit({ slots: this.limit, reason: "maximum" })
  }

  /** Waits for a slot (and for any Retry-After); the returned function gives it back, once. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    while (!this.free()) {
      if (signal?.aborted) throw signal.reason ?? new Error("aborted")
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve)
        signal?.addEventListener("abort", () => resolve(), { once: true })
        this.wakeAfterHold()
      })
    }
    this.inUse++
    let released = false
    return () => {
      if (released) return
      released = true
      this.inUse--
      this.wake()
    }
  }

  /** A conversation ended without a provider failure; `latency`: its time per model request, and its kind (the role). */
  succeeded(latency?: { ms: number; kind: string }): void {
    if (latency && latency.ms > 0) {
      const seen = this.latency.get(latency.kind)
      const next = seen ? { baseline: 0.9 * seen.baseline + 0.1 * latency.ms, recent: 0.5 * seen.recent + 0.5 * latency.ms, samples: seen.samples + 1 } : { baseline: latency.ms, recent: latency.ms, samples: 1 }
      this.latency.set(latency.kind, next)
      // Doubled, and by more than noise: a provider slowing down under load.
      if (next.samples >= latencySamples && next.recent > 2 * next.baseline && next.recent - next.baseline > latencyNoiseMs && this.decrease("latency")) {
        // That latency is the new normal once the load is down.
        for (const [kind, value] of this.latency) this.latency.set(kind, { ...value, recent: value.baseline })
        return
      }
    }
    this.successes++
    if (this.limit < this.max && this.successes >= this.limit) {
      this.successes = 0
      this.limit++
      this.emit({ slots: this.limit, reason: "success" })
      this.wake()
    }
  }

  /** The provider refused or failed; with a Retry-After, nothing new starts until it has passed. */
  overloaded(retryAfterMs?: number): void {
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      const until = this.now() + retryAfterMs
      if (until > this.heldUntil) {
        this.heldUntil = until
        this.decrease("retry-after") || this.emit({ slots: this.limit, reason: "retry-after", until })
        return
      }
    }
    this.decrease("overload")
  }

  private decrease(reason: SlotChangeReason): boolean {
    const now = this.now()
    this.successes = 0
    if (now - this.lastDecrease < this.cooldownMs || this.limit === 1) return false
    this.lastDecrease = now
    this.limit = Math.max(1, Math.floor(this.limit / 2))
    this.emit({ slots: this.limit, reason, ...(reason === "retry-after" ? { until: this.heldUntil } : {}) })
    return true
  }

  private free(): boolean {
    return this.inUse < this.limit && this.now() >= this.heldUntil
  }

  private wake(): void {
    if (this.now() < this.heldUntil) return this.wakeAfterHold()
    // Each woken waiter checks again for itself.
    const free = this.limit - this.inUse
    if (free > 0) for (const resolve of this.waiting.splice(0, free)) resolve()
  }

  private wakeAfterHold(): void {
    const wait = this.heldUntil - this.now()
    if (wait <= 0 || this.timer || !this.waiting.length) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.wake()
    }, wait)
  }

  private emit(change: SlotChange): void {
    for (const listener of this.listeners) listener(change)
  }
}
