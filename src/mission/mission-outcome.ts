import type { MissionState } from "./mission-state.js"

/**
 * How a mission ended, as the user must be told apart: what landed in their checkout, what was
 * kept, or why nothing was. Each has its exit code (`opencode run`, and the CLI).
 */
export type MissionOutcome = "landed" | "kept" | "failed" | "paused" | "stopped"

/** Documented in the README. 1 stays the host's own: an error, or a mission that did not start. */
export const outcomeExitCodes: Record<MissionOutcome, number> = { landed: 0, kept: 2, failed: 3, paused: 4, stopped: 5 }

/**
 * Ended and its workspace closed (the result landed, or worktrees were removed or kept): only then
 * does the outcome say where the result is. A paused mission keeps its worktrees for the resume.
 */
export function missionSettled(state: MissionState): boolean {
  return state.status !== "running" && (Boolean(state.closing) || state.status === "paused" || state.workspace?.mode !== "worktrees")
}

export function missionOutcome(state: MissionState): MissionOutcome | undefined {
  if (state.status === "running") return undefined
  if (state.status !== "sealed") return state.status
  const landing = state.closing?.landing
  // Sealed, and the result is in the user's checkout (or there was nothing to bring).
  return landing === "fast-forward" || landing === "applied" || landing === "shared" || landing === "nothing" ? "landed" : "kept"
}

const list = (items: string[], max = 8) => (items.length > max ? `${items.slice(0, max).join(", ")} and ${items.length - max} more` : items.join(", "))

/** Where the result is and what it holds, in one line (the last line a headless run prints). */
export function outcomeLine(state: MissionState): string {
  const id = `Mission ${state.missionId}`
  const closing = state.closing
  const kept = closing?.keptBranches.length ? ` Kept on ${list(closing.keptBranches, 3)}.` : ""
  const take = closing?.command ? ` Take it with: ${closing.command}` : ""
  switch (missionOutcome(state)) {
    case undefined:
      return `${id} is still running.`
    case "landed": {
      const files = closing?.landedFiles ?? []
      const commits = closing?.landedCommits ?? []
      if (closing?.landing === "fast-forward") return `${id} SEALED and LANDED: ${commits.length} commit(s) ${list(commits.map((commit) => commit.slice(0, 12)), 5)} in your checkout; files: ${list(files) || "none"}.`
      if (closing?.landing === "applied") return `${id} SEALED and LANDED as uncommitted changes next to yours; files: ${list(files) || "none"}.`
      if (closing?.landing === "shared") return `${id} SEALED: the tasks worked in your checkout directly; files: ${list([...new Set(state.tasks.flatMap((task) => task.touchedFiles))]) || "none"}.`
      return `${id} SEALED: nothing to land (no file changed).`
    }
    case "kept":
      return `${id} SEALED but NOT LANDED: ${closing?.detail ?? "the result stays on the mission branch"}.${kept}${take}`
    case "failed":
      return `${id} FAILED: ${state.endReason ?? "see the report"}.${kept}${take}`
    case "paused":
      return `${id} PAUSED: ${state.endReason ?? "see the report"}. Go on with /resume-mission ${state.missionId}.`
    case "stopped": {
      const stopped = state.tasks.filter((task) => task.status === "stopped").map((task) => task.id)
      return `${id} STOPPED (${state.endReason ?? "stopped"})${stopped.length ? `; tasks stopped: ${list(stopped)}` : ""}.${kept}${take}`
    }
  }
}
