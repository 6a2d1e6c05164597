// The commander's own spend. Its steps run in the user's root session, whose earlier turns are the
// user's, so a session's totals will not do: each assistant step that reports tokens while the
// mission's account is open (from its launch until the root first goes idle after its end) is
// counted on its own, keyed by its message id. The step that called run_mission reports its usage
// only after the mission ended, hence the late records (Mission.recordLate).
import type { MissionEvent, TokenUsage } from "../mission/mission-event.js"
import { fromHostUsage, type HostMessageUsage } from "./session-usage.js"
import { sessionUsageOf, usageKey, type MissionState } from "../mission/mission-state.js"

/** The usage update one commander step's message info calls for: none while it reports nothing, or nothing new. */
export function commanderStepUpdate(state: MissionState, step: { id: string; sessionID: string; tokens?: HostMessageUsage; cost?: number }): Extract<MissionEvent, { type: "usage-update" }> | undefined {
  if (!step.tokens) return undefined
  const tokens = fromHostUsage(step.tokens)
  const cost = step.cost ?? 0
  if (Object.values(tokens).every((count) => count === 0) && cost === 0) return undefined
  const event = { type: "usage-update" as const, sessionId: step.sessionID, messageId: step.id, role: "commander" as const, tokens, cost, requests: 1 }
  const known = sessionUsageOf(state, usageKey(event))
  if (known && known.cost === cost && Object.entries(tokens).every(([name, count]) => known.tokens[name as keyof TokenUsage] === count)) return undefined
  return event
}
