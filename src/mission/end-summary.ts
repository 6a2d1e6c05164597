import type { MissionState } from "./mission-state.js"
import { stopReasons } from "./mission-event.js"

/**
 * Why a mission did not seal, in words made only by code: no paths, ids, provider errors or model
 * findings (those are in report.md). The host retries a failed turn whose error text contains a
 * status code (429, 500, ...) or words like "timeout", so this text must not carry foreign text.
 */
export function endSummary(state: MissionState): string {
  if (state.status === "sealed") return "sealed"
  if (state.status === "running") return "still running"
  if (state.status === "paused") return "paused (the report says why); run /resume-mission to go on"
  if (state.status === "stopped") return state.endReason === stopReasons.missionStop ? stopReasons.missionStop : "stopped by the user"
  const failed = state.tasks.filter((task) => task.status === "failed")
  if (failed.length) return `task ${failed.map((task) => task.id).join(", ")} failed (see the report for the findings)`
  if (state.tasks.length === 0) return "no valid plan (see the report for the problems)"
  if (state.masterFindings.length) return "the master review did not approve (see the report)"
  return "the mission could not finish (see the report)"
}
