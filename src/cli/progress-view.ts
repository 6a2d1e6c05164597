// What `opencode-orchestrator run` shows while a mission runs, as pure functions of the journal:
// a block redrawn in place on a terminal, or one plain line per event elsewhere.
import type { JournalEntry } from "../mission/mission-event.js"
import type { MissionState, TaskStatus } from "../mission/mission-state.js"
import { eventLine } from "../mission/event-line.js"
import { formatSpend, missionSpend } from "../economy/spend.js"

const order: TaskStatus[] = ["pending", "working", "reviewing", "merging", "approved", "failed", "stopped"]

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const minutes = Math.floor(seconds / 60)
  return minutes ? `${minutes}m ${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`
}

/** Each task's latest step, from the last journal event that names it. */
export function currentSteps(entries: JournalEntry[]): Map<string, string> {
  const steps = new Map<string, string>()
  for (const entry of entries) {
    const taskId = "taskId" in entry ? entry.taskId : undefined
    const line = taskId ? eventLine(entry) : undefined
    if (taskId && line) steps.set(taskId, line.replace(`task ${taskId}: `, ""))
  }
  return steps
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text)

/** The live block: mission, elapsed, spend; tasks by state; each running task's current step. */
export function progressBlock(state: MissionState | undefined, entries: JournalEntry[], elapsedMs: number, width = 100): string[] {
  if (!state) return [clip(`Starting the mission… ${formatElapsed(elapsedMs)}`, width)]
  const spend = state.spend.length ? ` · ${formatSpend(missionSpend(state))}` : ""
  const lines = [clip(`Mission ${state.missionId} · ${state.status} · ${formatElapsed(elapsedMs)}${spend}`, width)]
  if (!state.tasks.length) lines.push(state.planAttempts ? `planning (plan ${state.planAttempts + 1})` : "planning")
  else {
    const counts = order.map((status) => [status, state.tasks.filter((task) => task.status === status).length] as const).filter(([, count]) => count)
    lines.push(clip(`tasks: ${counts.map(([status, count]) => `${count} ${status}`).join(" · ")}`, width))
    const steps = currentSteps(entries)
    for (const task of state.tasks.filter((task) => task.status === "working" || task.status === "reviewing" || task.status === "merging"))
      lines.push(clip(`  ${task.id} ${task.title}: ${steps.get(task.id) ?? task.status}`, width))
  }
  const last = [...entries].reverse().map((entry) => eventLine(entry)).find(Boolean)
  if (last) lines.push(clip(`last: ${last}`, width))
  return lines
}

/** One plain line per event (not a terminal), with the time since the start. */
export function plainLine(entry: JournalEntry, startedAt: number): string | undefined {
  const line = eventLine(entry)
  if (!line) return undefined
  return `[${formatElapsed(Date.parse(entry.at) - startedAt).padStart(7)}] ${line}`
}
