// The adaptive slots of every provider/model the missions of one process use (one AdaptiveSlots
// each, shared by all of them), and which conversation holds which, so a retry the host reports
// for a session (a 429 it is waiting out) reaches the slots of that session's model.
import { AdaptiveSlots } from "./adaptive-slots.js"

/** The key of the conversations that use their agent's own model (none set for the role). */
export const agentModelKey = "(agent model)"

export class ModelSlots {
  private readonly pools = new Map<string, AdaptiveSlots>()
  private readonly holders = new Map<string, string>()

  constructor(private readonly options: { cooldownMs?: number } = {}) {}

  /** The slots of `model`, made at `max` (and raised to a higher max another mission asks for). */
  pool(model: string, max: number): AdaptiveSlots {
    const found = this.pools.get(model)
    if (found) {
      found.raiseMaximum(max)
      return found
    }
    const made = new AdaptiveSlots({ max, cooldownMs: this.options.cooldownMs })
    this.pools.set(model, made)
    return made
  }

  /** Waits for a slot of `model` for the conversation `sessionId`; the returned function gives it back. */
  async hold(model: string, max: number, sessionId: string, signal?: AbortSignal): Promise<() => void> {
    const release = await this.pool(model, max).acquire(signal)
    this.holders.set(sessionId, model)
    return () => {
      this.holders.delete(sessionId)
      release()
    }
  }

  /** The host is retrying a request of `sessionId` (a 429 or 5xx), next at `next` (epoch ms). */
  retrying(sessionId: string, next: number): void {
    const model = this.holders.get(sessionId)
    if (model) this.pools.get(model)?.overloaded(Math.max(0, next - Date.now()))
  }
}
