// A conversation's usage as the host keeps it: the tokens and cost of its assistant messages, and
// how many of them the model answered (one request each). The one way usage is read, for the engine's
// sessions and for the eval suite's single agent alike.
import { addSpend, noSpend, totalTokens, type Spend } from "./spend.js"
import type { TokenUsage } from "../mission/mission-event.js"

/** The usage the host keeps on an assistant message (its message info). */
export interface HostMessageUsage {
  input: number
  output: number
  reasoning: number
  cache: { read: number; write: number }
}

export function fromHostUsage(tokens: HostMessageUsage): TokenUsage {
  return { input: tokens.input, output: tokens.output, reasoning: tokens.reasoning, cacheRead: tokens.cache.read, cacheWrite: tokens.cache.write }
}

export interface SessionUsage extends Spend {
  /** Assistant messages that report usage: the model requests answered (the host's own retries of one not counted). */
  requests: number
}

export function sessionUsage(messages: ReadonlyArray<{ info: unknown }>): SessionUsage {
  let total = noSpend()
  let requests = 0
  for (const message of messages) {
    const info = message.info as { role?: string; tokens?: HostMessageUsage; cost?: number }
    if (info.role !== "assistant" || !info.tokens) continue
    const spend = { tokens: fromHostUsage(info.tokens), cost: info.cost ?? 0 }
    // A step the engine ended before it was sent (after a submit) leaves a message with no usage.
    if (totalTokens(spend) > 0) requests++
    total = addSpend(total, spend)
  }
  return { ...total, requests }
}
