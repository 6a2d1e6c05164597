/**
 * How the engine meets a failing model provider, as pure policy. Consecutive provider failures
 * (a child's turn ending in a host error, or running out of time) across the whole mission:
 * each retry waits longer, fewer tasks run at once, and at `pauseAfter` the mission pauses
 * (resumable) instead of spinning. Any success resets the count.
 */
export interface BackoffSettings {
  baseSeconds: number
  pauseAfter: number
}

export function retryDelayMs(consecutiveFailures: number, settings: BackoffSettings): number {
  if (consecutiveFailures <= 0) return 0
  return Math.min(60_000, settings.baseSeconds * 1000 * 2 ** (consecutiveFailures - 1))
}

/** The concurrency to use now: halved for each consecutive failure, never below one. */
export function allowedConcurrency(configured: number, consecutiveFailures: number): number {
  return Math.max(1, Math.floor(configured / 2 ** Math.max(0, consecutiveFailures)))
}

export function shouldPause(consecutiveFailures: number, settings: BackoffSettings): boolean {
  return consecutiveFailures >= settings.pauseAfter
}
