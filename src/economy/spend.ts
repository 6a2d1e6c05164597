// The token and dollar economy: what a mission spent, by role, task and attempt, as pure functions
// of the journal's usage events. The host reports each session's running totals (tokens and cost
// of its assistant messages); an attempt's spend is what its session added during that attempt.
import type { RoleName } from "../config/roles.js"
import type { TokenUsage } from "../mission/mission-event.js"

/** Tokens and dollars. `tokens.input` is uncached input; cache reads and writes are counted apart. */
export interface Spend {
  tokens: TokenUsage
  cost: number
}

/** One conversation's share: who spent it, for which task and attempt. */
export interface SpendEntry extends Spend {
  role: RoleName
  taskId?: string
  attempt?: number
}

export function noSpend(): Spend {
  return { tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0 }
}

export function addSpend(a: Spend, b: Spend): Spend {
  return {
    tokens: {
      input: a.tokens.input + b.tokens.input,
      output: a.tokens.output + b.tokens.output,
      reasoning: a.tokens.reasoning + b.tokens.reasoning,
      cacheRead: a.tokens.cacheRead + b.tokens.cacheRead,
      cacheWrite: a.tokens.cacheWrite + b.tokens.cacheWrite,
    },
    cost: a.cost + b.cost,
  }
}

/** What `after` added to `before` (a session's totals at two moments); never negative. */
export function spendSince(after: Spend, before: Spend): Spend {
  const minus = (x: number, y: number) => Math.max(0, x - y)
  const t = after.tokens
  const u = before.tokens
  return {
    tokens: { input: minus(t.input, u.input), output: minus(t.output, u.output), reasoning: minus(t.reasoning, u.reasoning), cacheRead: minus(t.cacheRead, u.cacheRead), cacheWrite: minus(t.cacheWrite, u.cacheWrite) },
    cost: minus(after.cost, before.cost),
  }
}

/** Every token the provider processed: input (uncached, cache read, cache write), output and reasoning. What a token cap counts. */
export function totalTokens(spend: Spend): number {
  const t = spend.tokens
  return t.input + t.cacheRead + t.cacheWrite + t.output + t.reasoning
}

export function sumSpend(entries: Iterable<Spend>): Spend {
  let total = noSpend()
  for (const entry of entries) total = addSpend(total, entry)
  return total
}

/** Spend grouped by a key (role, task, task and attempt …), in first-seen order. */
export function groupSpend(entries: SpendEntry[], key: (entry: SpendEntry) => string | undefined): Map<string, Spend> {
  const groups = new Map<string, Spend>()
  for (const entry of entries) {
    const name = key(entry)
    if (name !== undefined) groups.set(name, addSpend(groups.get(name) ?? noSpend(), entry))
  }
  return groups
}

/** Everything a mission spent so far. */
export function missionSpend(state: { spend: SpendEntry[] }): Spend {
  return sumSpend(state.spend)
}

/** " · 12.3k tokens · $0.0421" once anything was spent, else nothing: the tail of progress lines and toasts. */
export function spentSoFar(state: { spend: SpendEntry[] }): string {
  return state.spend.length ? ` · ${formatSpend(missionSpend(state))}` : ""
}

/** "12.3k tokens · $0.0421": short, for titles and toasts. */
export function formatSpend(spend: Spend): string {
  const tokens = totalTokens(spend)
  const shown = tokens >= 1_000_000 ? `${(tokens / 1_000_000).toFixed(2)}M` : tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens)
  return `${shown} tokens · $${formatDollars(spend.cost)}`
}

export function formatDollars(cost: number): string {
  return cost >= 1 ? cost.toFixed(2) : cost.toFixed(4)
}
