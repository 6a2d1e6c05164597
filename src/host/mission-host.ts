import type { RoleName } from "../config/roles.js"
import type { SessionUsage } from "../economy/session-usage.js"

/** `refused`: the prompt gate did not send it (a busy session or a duplicate); no model was asked. */
export type HostResult<T> = { ok: true; value: T } | { ok: false; error: string; refused?: boolean }

export interface PromptRequest {
  sessionId: string
  directory: string
  agent: RoleName
  text: string
  /** "provider/model"; unset uses the agent's model. */
  model?: string
}

/**
 * What the engine needs from the host. Failures come back as values, never thrown; every
 * prompt passes the prompt gate inside the implementation.
 */
export interface MissionHost {
  createSession(parentId: string, title: string, directory: string): Promise<HostResult<string>>
  /** Blocks until the session's agent loop ends. */
  prompt(request: PromptRequest): Promise<HostResult<void>>
  abort(sessionId: string, directory: string): Promise<void>
  usage(sessionId: string, directory: string): Promise<SessionUsage | undefined>
  /**
   * The conversation's usage once its step `messageId` (an assistant message) has finished, as the
   * host's events tell it, before the turn ends; for sessions made by this process. Pending until
   * then or until `signal` aborts (then never settled): race it with the turn.
   */
  usageAfterStep(sessionId: string, messageId: string, signal: AbortSignal): Promise<SessionUsage>
  /** Sessions whose usage will not be asked for again (their mission ended). */
  forgetUsage(sessionIds: Iterable<string>): void
  /** Shows a message to the user without a model call, once the session is idle. */
  post(sessionId: string, directory: string, text: string): Promise<HostResult<void>>
  /** The agents the host instance of `directory` has. */
  agentNames(directory: string): Promise<HostResult<string[]>>
  /**
   * Starts what the host instance of `directory` would otherwise start at its first prompt (its
   * providers, its file watcher, its per-directory services), without a model call. Best effort.
   */
  warmInstance(directory: string): Promise<void>
  /** Ends the host instance of `directory` (its watcher, its state); the host makes a new one if it is asked again. Best effort. */
  disposeInstance(directory: string): Promise<void>
  toast(message: string, variant: "info" | "success" | "warning" | "error"): void
}
