/**
 * Child turns the engine has stopped waiting for: their submission was taken and their usage
 * recorded once the submitting step finished, and what is left of each is the closing step that
 * the plugin ends in `chat.params` before any request. The engine goes on meanwhile. A later
 * message to the same session waits for its turn to end (never into a busy session), and the
 * mission's end waits for all of them, within a bound, before it disposes of their instances.
 */
export class ClosingTurns {
  private readonly turns = new Map<string, { directory: string; ended: Promise<void> }>()

  /** `turn` is the session's prompt still in flight; `after` runs once it has ended, however it ends. */
  add(sessionId: string, directory: string, turn: Promise<unknown>, after: () => void): void {
    const ended: Promise<void> = turn
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        after()
        if (this.turns.get(sessionId)?.ended === ended) this.turns.delete(sessionId)
      })
    this.turns.set(sessionId, { directory, ended })
  }

  /** Resolves once the session has no turn closing (at once if it has none). */
  ended(sessionId: string): Promise<void> {
    return this.turns.get(sessionId)?.ended ?? Promise.resolve()
  }

  /** Waits for every closing turn, at most `ms`; gives those still going then, with their directories. */
  async settle(ms: number): Promise<Array<{ sessionId: string; directory: string }>> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
    await Promise.race([Promise.all([...this.turns.values()].map((turn) => turn.ended)), timeout])
    clearTimeout(timer)
    return [...this.turns].map(([sessionId, { directory }]) => ({ sessionId, directory }))
  }
}
