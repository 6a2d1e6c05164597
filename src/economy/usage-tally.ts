// A child conversation's usage as the host's `message.updated` events give it, while its turn is
// still going. The host finishes a step (its tokens and cost on its assistant message) before it
// builds the next one, and a step that called tools finishes only once every tool call of it has
// returned. So once a submission's step has finished, the conversation's usage is final: what is
// left of the turn is the closing step that `chat.params` ends before any request. The engine can
// go on from there, with the spend recorded, instead of waiting for the turn's end and reading the
// messages back (host-notes.md: the events' tally equals what `session.messages` reports).
import { sessionUsage, type HostMessageUsage, type SessionUsage } from "./session-usage.js"

/** The fields of an assistant message's info that the tally reads. */
export interface AssistantStepInfo {
  id: string
  sessionID: string
  /** Set when the step has finished (its usage is then final). */
  finish?: string
  tokens?: HostMessageUsage
  cost?: number
}

interface Waiter {
  messageId: string
  done: (usage: SessionUsage) => void
}

interface Tally {
  /** Each assistant message's latest info, in the order first seen. */
  steps: Map<string, AssistantStepInfo>
  waiters: Set<Waiter>
}

/**
 * Conversations are tallied from their creation on (an older session's earlier messages would be
 * missing, so it is never asked): `track` first, `observe` every assistant message update.
 */
export class UsageTally {
  private readonly sessions = new Map<string, Tally>()

  track(sessionId: string): void {
    if (!this.sessions.has(sessionId)) this.sessions.set(sessionId, { steps: new Map(), waiters: new Set() })
  }

  tracks(sessionId: string): boolean {
    return this.sessions.has(sessionId)
  }

  /** An assistant message's info as a `message.updated` event carries it; untracked sessions are ignored. */
  observe(info: AssistantStepInfo): void {
    const tally = this.sessions.get(info.sessionID)
    if (!tally) return
    tally.steps.set(info.id, info)
    if (!info.finish) return
    for (const waiter of tally.waiters)
      if (waiter.messageId === info.id) {
        tally.waiters.delete(waiter)
        waiter.done(this.usage(tally))
      }
  }

  /**
   * The conversation's usage once its step `messageId` has finished: at once if it has. Stays
   * pending until then, or until `signal` aborts (then it never settles, and is let go).
   */
  afterStep(sessionId: string, messageId: string, signal: AbortSignal): Promise<SessionUsage> {
    return new Promise((resolve) => {
      const tally = this.sessions.get(sessionId)
      if (!tally || signal.aborted) return
      if (tally.steps.get(messageId)?.finish) return resolve(this.usage(tally))
      const waiter: Waiter = { messageId, done: resolve }
      tally.waiters.add(waiter)
      signal.addEventListener("abort", () => tally.waiters.delete(waiter), { once: true })
    })
  }

  /** Sessions that will not be asked again (their mission ended). */
  forget(sessionIds: Iterable<string>): void {
    for (const sessionId of sessionIds) this.sessions.delete(sessionId)
  }

  private usage(tally: Tally): SessionUsage {
    return sessionUsage([...tally.steps.values()].map((info) => ({ info: { role: "assistant", ...info } })))
  }
}
