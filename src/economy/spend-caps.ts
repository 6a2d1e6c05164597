import type { MissionState } from "../mission/mission-state.js"
import { formatDollars, missionSpend, sumSpend, totalTokens, type Spend } from "./spend.js"

/** The caps of `budget` in orchestrator.json; unset: no cap. */
export interface SpendCaps {
  missionTokens?: number
  missionDollars?: number
  taskTokens?: number
  taskDollars?: number
}

export type CapName = keyof SpendCaps

/** A cap 80% spent, said once: the `budget-warn` event. */
export interface CapWarning {
  cap: CapName
  taskId?: string
  spent: number
  limit: number
}

export const warnAtShare = 0.8

export interface CapCheck {
  /** Set when a cap is reached: the mission pauses before its next step, with this reason. */
  reached?: string
  /** Caps past 80% that were not warned of yet. */
  warnings: CapWarning[]
}

/** The key under which a warning is remembered (`MissionState.capWarnings`). */
export function warningKey(warning: Pick<CapWarning, "cap" | "taskId">): string {
  return warning.taskId ? `${warning.cap}:${warning.taskId}` : warning.cap
}

function describe(cap: CapName, spent: number, limit: number, taskId?: string): string {
  const whose = taskId ? `task ${taskId}` : "the mission"
  return cap.endsWith("Dollars") ? `${whose} spent $${formatDollars(spent)} of its $${formatDollars(limit)} cap` : `${whose} spent ${spent} of its ${limit}-token cap`
}

/**
 * Checks the mission's spend, and each task's, against the caps. Pure: the engine calls it
 * before every child conversation and after each one's usage is recorded. A cap counts as reached
 * at 100%; the conversation in flight when it is crossed finishes (its usage is known only then).
 */
export function checkSpendCaps(state: MissionState, caps: SpendCaps): CapCheck {
  const warnings: CapWarning[] = []
  let reached: string | undefined
  const check = (spend: Spend, tokensCap: CapName, dollarsCap: CapName, taskId?: string) => {
    for (const [cap, spent] of [[tokensCap, totalTokens(spend)], [dollarsCap, spend.cost]] as const) {
      const limit = caps[cap]
      if (limit === undefined) continue
      if (spent >= limit) reached ??= `${describe(cap, spent, limit, taskId)} (raise "budget.${cap}" in .opencode/orchestrator.json, then /resume-mission)`
      else if (spent >= limit * warnAtShare && !state.capWarnings.includes(warningKey({ cap, taskId }))) warnings.push({ cap, taskId, spent, limit })
    }
  }
  check(missionSpend(state), "missionTokens", "missionDollars")
  if (caps.taskTokens !== undefined || caps.taskDollars !== undefined)
    for (const task of state.tasks) check(sumSpend(state.spend.filter((entry) => entry.taskId === task.id)), "taskTokens", "taskDollars", task.id)
  return { reached, warnings }
}

export function warningLine(warning: CapWarning): string {
  return `Spend warning: ${describe(warning.cap, warning.spent, warning.limit, warning.taskId)} (${Math.round((warning.spent / warning.limit) * 100)}%)`
}
