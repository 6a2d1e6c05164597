// Keeping a long child conversation within its role's budget: once the history passes the
// budget, the oldest tool outputs are shortened until it is back under a lower mark; the newest
// are kept. A shortened output stays shortened, and nothing changes again until the history
// passes the budget once more, so between those moments every request's prefix is the same
// bytes as the one before (provider caches hold). Our child sessions only, never the user's.
import type { CountTokens } from "./token-count.js"

/** The parts of a host message this reads and changes (a subset of the SDK's Part). */
export interface HistoryPart {
  id: string
  type: string
  text?: string
  tool?: string
  state?: { status: string; output?: string; input?: unknown }
}

export interface HistoryMessage {
  info: { id: string; role: string; sessionID: string }
  parts: HistoryPart[]
}

/** What one session's pruning remembers between requests. */
export interface PruneMemory {
  /** Parts whose output was shortened, with the text that replaced it. */
  shortened: Map<string, string>
  /** Token counts of parts already seen (a part's content does not change once complete). */
  counted: Map<string, number>
}

export function newPruneMemory(): PruneMemory {
  return { shortened: new Map(), counted: new Map() }
}

export interface PruneSettings {
  /** Tokens the history may reach before pruning starts. */
  budget: number
  /** Where pruning stops, as a share of the budget (lower: fewer, larger prunes). */
  lowWater?: number
  /** The newest outputs up to this share of the budget are never shortened. */
  protect?: number
}

/** What stays of a shortened output: the start of its first line, and what it was. Small: a long conversation has hundreds. */
function placeholder(part: HistoryPart, tokens: number): string {
  const output = part.state?.output ?? ""
  const head = output.split("\n", 1)[0]!.slice(0, 80)
  return `${head}${head.length < output.length ? "…" : ""}\n[shortened by the orchestrator: ${tokens} tokens; run ${part.tool ?? "the tool"} again to see it]`
}

function partTokens(part: HistoryPart, memory: PruneMemory, count: CountTokens): number {
  const replaced = memory.shortened.get(part.id)
  if (replaced !== undefined) return count(replaced)
  const known = memory.counted.get(part.id)
  if (known !== undefined) return known
  const text = part.type === "text" ? (part.text ?? "") : part.type === "tool" ? `${JSON.stringify(part.state?.input ?? {})}${part.state?.output ?? ""}` : ""
  const tokens = count(text)
  if (part.type !== "tool" || part.state?.status === "completed") memory.counted.set(part.id, tokens)
  return tokens
}

const isOutput = (part: HistoryPart) => part.type === "tool" && part.state?.status === "completed" && typeof part.state.output === "string"

/**
 * Applies the session's shortened outputs to `messages` (in place), pruning more first when the
 * history is over budget. Returns the ids shortened by this call (none: the prefix is as before).
 */
export function pruneHistory(messages: HistoryMessage[], memory: PruneMemory, settings: PruneSettings, count: CountTokens): string[] {
  const parts = messages.flatMap((message) => message.parts)
  let total = parts.reduce((sum, part) => sum + partTokens(part, memory, count), 0)
  const now: string[] = []
  if (total > settings.budget) {
    const outputs = parts.filter(isOutput)
    // The newest outputs within the protected share stay whole (the newest one always does).
    const protectTokens = settings.budget * (settings.protect ?? 0.25)
    let kept = 0
    let firstProtected = outputs.length
    for (let index = outputs.length - 1; index >= 0; index--) {
      const tokens = partTokens(outputs[index]!, memory, count)
      if (index < outputs.length - 1 && kept + tokens > protectTokens) break
      kept += tokens
      firstProtected = index
    }
    const low = settings.budget * (settings.lowWater ?? 0.5)
    for (const part of outputs.slice(0, firstProtected)) {
      if (total <= low) break
      if (memory.shortened.has(part.id)) continue
      const before = partTokens(part, memory, count)
      const text = placeholder(part, before)
      memory.shortened.set(part.id, text)
      total -= before - count(text)
      now.push(part.id)
    }
  }
  for (const part of parts) {
    const text = memory.shortened.get(part.id)
    if (text !== undefined && part.state) part.state.output = text
  }
  return now
}
