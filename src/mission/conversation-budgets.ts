interface Watched {
  toolCalls: number
  /** Set at the conversation's first model request: the time budget runs from then. */
  requested: boolean
  exceeded?: string
  timer: NodeJS.Timeout
  onExceeded: (reason: string) => void
  onFirstRequest?: () => void
}

/**
 * The time and tool-call budget of each child conversation (one worker attempt, one review, one
 * plan). The engine watches a conversation while it prompts; the host's tool hook counts calls.
 * When either budget is spent, `onExceeded` runs once (the engine aborts the session).
 *
 * The time budget runs from the conversation's first model request (the host's `chat.params`),
 * so a host that is slow to start a session (a new worktree's instance, a loaded machine) is not
 * taken for a model that does not answer. A host that never sends a request at all is bounded too:
 * the budget then runs out after `startAllowance` more.
 */
export class ConversationBudgets {
  private readonly watched = new Map<string, Watched>()

  constructor(private readonly limits: { seconds: number; toolCalls: number }) {}

  /** `onFirstRequest`: told once, when the conversation's first model request goes out. */
  watch(sessionId: string, onExceeded: (reason: string) => void, onFirstRequest?: () => void): void {
    this.end(sessionId)
    const allowance = startAllowanceSeconds(this.limits.seconds)
    this.watched.set(sessionId, { toolCalls: 0, requested: false, timer: this.timer(sessionId, this.limits.seconds + allowance), onExceeded, onFirstRequest })
  }

  /** The conversation's first model request went out: its time budget starts now. */
  noteModelRequest(sessionId: string): void {
    const budget = this.watched.get(sessionId)
    if (!budget || budget.requested || budget.exceeded) return
    budget.requested = true
    clearTimeout(budget.timer)
    budget.timer = this.timer(sessionId, this.limits.seconds)
    budget.onFirstRequest?.()
  }

  private timer(sessionId: string, seconds: number): NodeJS.Timeout {
    return setTimeout(() => this.exceed(sessionId, `the time budget of ${this.limits.seconds} s was spent`), seconds * 1000)
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

/** How long a host may take to send a conversation's first request before that counts against its time budget. */
export function startAllowanceSeconds(budgetSeconds: number): number {
  return Math.min(budgetSeconds, 60)
}
