interface Watched {
  toolCalls: number
  exceeded?: string
  timer: NodeJS.Timeout
  onExceeded: (reason: string) => void
}

/**
 * The time and tool-call budget of each child conversation (one worker attempt, one review, one
 * plan). The engine watches a conversation while it prompts; the host's tool hook counts calls.
 * When either budget is spent, `onExceeded` runs once (the engine aborts the session).
 */
export class ConversationBudgets {
  private readonly watched = new Map<string, Watched>()

  constructor(private readonly limits: { seconds: number; toolCalls: number }) {}

  watch(sessionId: string, onExceeded: (reason: string) => void): void {
    this.end(sessionId)
    const timer = setTimeout(() => this.exceed(sessionId, `the time budget of ${this.limits.seconds} s was spent`), this.limits.seconds * 1000)
    this.watched.set(sessionId, { toolCalls: 0, timer, onExceeded })
  }

  /** Why the conversation's budget is spent, if it is; `silent` when it made no tool call at all (a provider that never answered). */
  exceeded(sessionId: string): { reason: string; silent: boolean } | undefined {
    const budget = this.watched.get(sessionId)
    return budget?.exceeded ? { reason: budget.exceeded, silent: budget.toolCalls === 0 } : undefined
  }

  end(sessionId: string): void {
    clearTimeout(this.watched.get(sessionId)?.timer)
    this.watched.delete(sessionId)
  }

  /** Counts one tool call; the refusal text once the conversation's budget is spent. */
  noteToolCall(sessionId: string): string | undefined {
    const budget = this.watched.get(sessionId)
    if (!budget) return undefined
    budget.toolCalls++
    if (budget.toolCalls > this.limits.toolCalls) this.exceed(sessionId, `the tool-call budget of ${this.limits.toolCalls} calls was spent`)
    return budget.exceeded ? `Stopped by the orchestrator: ${budget.exceeded}.` : undefined
  }

  private exceed(sessionId: string, reason: string): void {
    const budget = this.watched.get(sessionId)
    if (!budget || budget.exceeded) return
    budget.exceeded = reason
    budget.onExceeded(reason)
  }
}
