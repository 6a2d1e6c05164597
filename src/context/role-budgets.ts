// How a role's token budget (config `context.budgets`) is shared out in one request: what the host
// adds before our message (system prompt, environment, tool schemas), our message's own text, the
// memory section, and, for reviewers, the diff.
import type { RoleName } from "../config/roles.js"

export type BudgetedRole = Exclude<RoleName, "commander">

/**
 * Tokens (o200k) a request of the role carries besides our message: its system prompt, the host's
 * environment lines and the tool schemas. Measured with the 1.18.33 host (bench:context prints
 * the largest requests against their budgets), with headroom.
 */
export const requestOverhead: Record<BudgetedRole, number> = { planner: 4000, worker: 5000, reviewer: 4000, "master-reviewer": 4000 }

/** Tokens a conversation's history may reach before its old tool outputs are shortened. */
export function historyBudget(role: BudgetedRole, budget: number): number {
  return budget - requestOverhead[role]
}

/** The most of a role's budget the memory section may take. */
const memoryShare = 0.2

/** Tokens for the memory section of a message whose other text takes `messageTokens`. */
export function memoryBudget(role: BudgetedRole, budget: number, messageTokens: number): number {
  return Math.max(0, Math.min(Math.floor(budget * memoryShare), budget - requestOverhead[role] - messageTokens))
}

/** Tokens left for the diff once the rest of the message is counted (at least enough to name what is left out). */
export function diffBudget(role: BudgetedRole, budget: number, otherTokens: number): number {
  return Math.max(600, budget - requestOverhead[role] - otherTokens)
}

/** The repository map's share of the planner's budget: a fifth, at most 4,000 tokens (it rides along every planner request). */
export function repositoryMapBudget(budget: number): number {
  return Math.min(4000, Math.floor(budget * 0.2))
}
