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
  /** What each part seen costs now, shortened or not (a part's content does not change once complete). */
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

/** What stays of a shortened output: what it was. Small: a long conversation has hundreds (the call's input stays, naming it). */
function placeholder(part: HistoryPart, tokens: number): string {
  return `[shortened by the orchestrator: ${tokens} tokens; run ${part.tool ?? "the tool"} again to see it]`
}

/** An output cut to about `room` tokens: its head and its tail, the middle named. */
function cutToFit(output: string, room: number, count: CountTokens): string {
  let keep = Math.floor((output.length * room) / Math.max(1, count(JSON.stringify(output))))
  for (;;) {
    const head = output.slice(0, Math.ceil((keep * 2) / 3))
    const tail = output.slice(output.length - Math.floor(keep / 3))
    const text = `${head}\n[… ${output.length - head.length - tail.length} characters cut by the orchestrator to keep this conversation within its budget; read it again in parts …]\n${tail}`
    if (keep < 50 || count(JSON.stringify(text)) <= room) return text
    keep = Math.floor(keep * 0.85)
  }
}

/**
 * What a part costs in the provider's request besides its (JSON-escaped) text: a tool call and its
 * result are two messages with ids, names and JSON wrapping (about 40 tokens, o200k, on the 1.18.33
 * host: bench:context prints it); other parts a few. Counted, or a long conversation of small outputs passes its budget unseen.
 */
const toolFraming = 40
const partFraming = 4

function partTokens(part: HistoryPart, memory: PruneMemory, count: CountTokens): number {
  const known = memory.counted.get(part.id)
  if (known !== undefined) return known
  const output = memory.shortened.get(part.id) ?? part.state?.output ?? ""
  // As the request body carries it: JSON-escaped (a file's newlines and quotes cost tokens too).
  const text = part.type === "text" ? JSON.stringify(part.text ?? "") : part.type === "tool" ? `${JSON.stringify(part.state?.input ?? {})}${JSON.stringify(output)}` : ""
  const tokens = count(text) + (part.type === "tool" ? toolFraming : partFraming)
  if (part.type !== "tool" || part.state?.status === "completed") memory.counted.set(part.id, tokens)
  return tokens
}

/** Replaces a part's output from now on; returns how its cost changed. */
function shorten(part: HistoryPart, text: string, memory: PruneMemory, count: CountTokens): number {
  const before = partTokens(part, memory, count)
  memory.shortened.set(part.id, text)
  memory.counted.delete(part.id)
  return partTokens(part, memory, count) - before
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
    const protectTokens = settings.budget * (settings.protect ?? 0.1)
    let kept = 0
    let firstProtected = outputs.length
    for (let index = outputs.length - 1; index >= 0; index--) {
      const tokens = partTokens(outputs[index]!, memory, count)
      if (index < outputs.length - 1 && kept + tokens > protectTokens) break
      kept += tokens
      firstProtected = index
    }
    const low = settings.budget * (settings.lowWater ?? 0.15)
    for (const part of outputs.slice(0, firstProtected)) {
      if (total <= low) break
      if (memory.shortened.has(part.id)) continue
      const before = partTokens(part, memory, count)
      const text = placeholder(part, before)
      // A stub no smaller than the output gains nothing.
      if (count(text) + 10 >= count(JSON.stringify(part.state?.output ?? ""))) continue
      total += shorten(part, text, memory, count)
      now.push(part.id)
    }
    // Still over (a long conversation's stubs, and a large newest output): the protected outputs are
    // cut, the largest first, to well under the budget (so the next few requests need no cut), and
    // no request passes the budget.
    const target = settings.budget * 0.85
    const protectedOutputs = outputs.slice(firstProtected).filter((part) => !memory.shortened.has(part.id))
    protectedOutputs.sort((a, b) => partTokens(b, memory, count) - partTokens(a, memory, count))
    for (const part of total > settings.budget ? protectedOutputs : []) {
      if (total <= target) break
      const before = partTokens(part, memory, count)
      const room = before - (total - target) - toolFraming - count(JSON.stringify(part.state?.input ?? {}))
      total += shorten(part, room > 100 ? cutToFit(part.state!.output!, room, count) : placeholder(part, before), memory, count)
      now.push(part.id)
    }
  }
  for (const part of parts) {
    const text = memory.shortened.get(part.id)
    if (text !== undefined && part.state) part.state.output = text
  }
  return now
}
