import { z } from "zod"

/** One tool call the scripted model makes. `args` are sent as the call's JSON arguments. */
export const ScriptedToolCall = z.strictObject({
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  /** Sent instead of `args` as the call's argument text, as is: e.g. truncated JSON. */
  rawArguments: z.string().optional(),
})

/**
 * One assistant turn. Either text, tool calls, or both (neither: an empty answer); `delayMs` holds
 * the answer back (to make parallel work observable); `error` answers with an HTTP error instead
 * of a stream, with a `Retry-After` header when `retryAfterSeconds` is set; `fault` breaks the
 * stream: `stall` sends its start and then nothing, `malformed-sse` sends a line that is not
 * JSON, `cut-off` ends the connection halfway, without a finish.
 */
export const ScriptedReply = z.strictObject({
  text: z.string().optional(),
  tools: z.array(ScriptedToolCall).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /**
   * Holds the answer until a request matching `agent` (and `task`) has arrived, or `timeoutMs`
   * passed: a barrier that makes "these ran at the same time" true or false by the engine's doing,
   * whatever the machine's load. Applied before `delayMs`.
   */
  waitForRequest: z.strictObject({ agent: z.string().optional(), task: z.string().optional(), timeoutMs: z.number().int().min(1).max(600_000) }).optional(),
  error: z.strictObject({ status: z.number().int().min(400).max(599), message: z.string(), retryAfterSeconds: z.number().int().min(0).max(3600).optional() }).optional(),
  fault: z.enum(["stall", "malformed-sse", "cut-off"]).optional(),
})
export type ScriptedReply = z.infer<typeof ScriptedReply>

/**
 * A rule answers the requests it matches. Every field given must match:
 * - `agent`: the agent the request is for (a `You are the orchestrator's <agent>` line of the system
 *   prompt, else the header `x-orchestrator-agent`).
 * - `task`, `attempt`: from the `Task <id> · attempt <n>` line of the latest user message that has one.
 * - `round`: from the `Mission round <n>` line of the latest user message that has one.
 * - `when`: a substring of the latest user message.
 * `replies[step]` is the answer, where step counts assistant turns since that user message.
 * `maxUses`: the rule answers at most this many requests, then is passed over (e.g. an error
 * for the first two tries of the same request, which the client retries).
 */
export const ScriptedRule = z.strictObject({
  agent: z.string().optional(),
  task: z.string().optional(),
  attempt: z.number().int().min(1).optional(),
  round: z.number().int().min(1).optional(),
  when: z.string().optional(),
  maxUses: z.number().int().min(1).optional(),
  replies: z.array(ScriptedReply).min(1),
})
export type ScriptedRule = z.infer<typeof ScriptedRule>

export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  rules: z.array(ScriptedRule),
  /** What a request that no rule answers gets. Plain text ends the agent's loop. */
  fallback: ScriptedReply.default({ text: "Done." }),
})
export type Scenario = z.infer<typeof Scenario>

export function parseScenario(input: unknown): Scenario {
  const result = Scenario.safeParse(input)
  if (!result.success) throw new Error(`invalid scenario: ${z.prettifyError(result.error)}`)
  return result.data
}
