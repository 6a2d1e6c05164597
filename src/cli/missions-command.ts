// `opencode-orchestrator list` and `show <id>`: a project's missions, read from their journals
// (never repaired or locked: a running mission's files are its engine's).
import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { missionIds, peekMission } from "../store/mission-files.js"
import { missionsFolder } from "../mission/mission.js"
import { missionOutcome } from "../mission/mission-outcome.js"
import { renderReport } from "../mission/report-render.js"
import { formatDollars, missionSpend, totalTokens } from "../economy/spend.js"

/** "3m ago", "2h ago", "4d ago". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${minutes}m ago`
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? `${hours}h ago` : `${Math.floor(hours / 24)}d ago`
}

/** When a mission started, from its id (`m-YYYYMMDD-HHMMSS-…`, UTC); undefined for another shape. */
export function missionStartTime(id: string): number | undefined {
  const match = id.match(/^m-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/)
  if (!match) return undefined
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  return Date.UTC(year, month - 1, day, hours, minutes, seconds)
}

const age = (id: string, now: number) => {
  const started = missionStartTime(id)
  return started === undefined ? "?" : formatAge(now - started)
}

const pad = (text: string, width: number) => (text.length >= width ? `${text.slice(0, width - 1)}…` : text.padEnd(width))

/** One row per mission, newest first: id, status (and outcome), tasks, tokens, dollars, age, goal. */
export function listMissions(directory: string, now = Date.now()): string {
  const ids = missionIds(directory)
  if (!ids.length) return `No missions in ${directory}.\n`
  const header = `${pad("MISSION", 24)} ${pad("STATUS", 16)} ${pad("TASKS", 7)} ${pad("TOKENS", 9)} ${pad("$", 9)} ${pad("AGE", 9)} GOAL`
  const rows = ids.map((id) => {
    const state = peekMission(directory, id)
    if (!state) return `${pad(id, 24)} ${pad("unreadable", 16)}`
    const outcome = missionOutcome(state)
    const status = outcome && outcome !== state.status ? `${state.status} (${outcome})` : state.status
    const approved = state.tasks.filter((task) => task.status === "approved").length
    const spend = missionSpend(state)
    return `${pad(id, 24)} ${pad(status, 16)} ${pad(`${approved}/${state.tasks.length}`, 7)} ${pad(String(totalTokens(spend)), 9)} ${pad(formatDollars(spend.cost), 9)} ${pad(age(id, now), 9)} ${state.goal}`
  })
  return `${[header, ...rows].join("\n")}\n`
}

/** A mission's report: report.md as written, or rendered from the journal when it is missing. */
export function showMission(directory: string, missionId: string): string | undefined {
  const folder = path.join(directory, missionsFolder, missionId)
  const report = path.join(folder, "report.md")
  if (existsSync(report)) return readFileSync(report, "utf8")
  const state = peekMission(directory, missionId)
  return state ? renderReport(state) : undefined
}
