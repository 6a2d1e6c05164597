export type SessionActivity = "idle" | "busy"

export type GateResult<T> = { sent: true; value: T } | { sent: false; reason: "busy" | "duplicate" }

/**
 * The one gate every prompt to a session passes. It knows which sessions are busy (from the
 * host's status events and from its own sends in flight), refuses to send into a busy session,
 * and drops a text identical to the last one delivered to the same session.
 */
export class PromptGate {
  private readonly activity = new Map<string, SessionActivity>()
  private readonly inFlight = new Set<string>()
  private readonly lastText = new Map<string, string>()
  private readonly idleWaiters = new Map<string, Set<() => void>>()

  /** Feed from the host's `session.status` / `session.idle` events. */
  observe(sessionId: string, activity: SessionActivity): void {
    this.activity.set(sessionId, activity)
    if (activity === "idle") this.wake(sessionId)
  }

  isBusy(sessionId: string): boolean {
    return this.inFlight.has(sessionId) || this.activity.get(sessionId) === "busy"
  }

  async send<T>(sessionId: string, text: string, deliver: () => Promise<T>): Promise<GateResult<T>> {
    if (this.isBusy(sessionId)) return { sent: false, reason: this.lastText.get(sessionId) === text ? "duplicate" : "busy" }
    if (this.lastText.get(sessionId) === text) return { sent: false, reason: "duplicate" }
    this.inFlight.add(sessionId)
    this.lastText.set(sessionId, text)
    try {
      return { sent: true, value: await deliver() }
    } finally {
      this.inFlight.delete(sessionId)
      // A blocking prompt returns when the session's loop has ended: it is idle now.
      this.activity.set(sessionId, "idle")
      this.wake(sessionId)
    }
  }

  /** Resolves true once the session is idle, false after `timeoutMs`. */
  waitIdle(sessionId: string, timeoutMs: number): Promise<boolean> {
    if (!this.isBusy(sessionId)) return Promise.resolve(true)
    return new Promise((resolve) => {
      const waiters = this.idleWaiters.get(sessionId) ?? new Set()
      this.idleWaiters.set(sessionId, waiters)
      const done = (value: boolean) => {
        clearTimeout(timer)
        waiters.delete(onIdle)
        resolve(value)
      }
      const onIdle = () => done(true)
      const timer = setTimeout(() => done(false), timeoutMs)
      waiters.add(onIdle)
    })
  }

  private wake(sessionId: string): void {
    if (this.isBusy(sessionId)) return
    for (const waiter of [...(this.idleWaiters.get(sessionId) ?? [])]) waiter()
  }
}
