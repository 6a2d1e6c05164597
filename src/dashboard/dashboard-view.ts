// What the dashboard page shows, as a pure function of a mission's journal: the task graph with
// each task's state, a timeline of attempts, spend per task and role, evidence and findings.
import type { JournalEntry } from "../mission/mission-event.js"
import { findingLine } from "../mission/mission-event.js"
import type { MissionState, TaskStatus } from "../mission/mission-state.js"
import { eventLine } from "../mission/event-line.js"
import { evidenceOutcome } from "../mission/review-policy.js"
import { missionOutcome, missionSettled, outcomeLine } from "../mission/mission-outcome.js"
import { groupSpend, missionSpend, totalTokens, type Spend } from "../economy/spend.js"

export type StepKind = "work" | "verify" | "review" | "merge" | "end"

export interface TimelineStep {
  attempt?: number
  kind: StepKind
  at: string
  text: string
}

export interface SpendView {
  tokens: number
  cost: number
}

export interface TaskView {
  id: string
  title: string
  status: TaskStatus
  dependsOn: string[]
  /** Its column in the graph: 0 for a task that needs none, else one more than its deepest dependency. */
  layer: number
  attempts: number
  spend: SpendView
  byRole: Record<string, SpendView>
  timeline: TimelineStep[]
  evidence: { command: string; outcome: string; exitCode: number | null }[]
  findings: string[]
  failReason?: string
}

export interface DashboardView {
  missionId: string
  goal: string
  status: MissionState["status"]
  /** Set once the mission is settled (mission-outcome.ts). */
  outcome?: string
  outcomeLine?: string
  startedAt?: string
  updatedAt?: string
  spend: SpendView
  byRole: Record<string, SpendView>
  tasks: TaskView[]
  masterFindings: string[]
  events: number
}

const stepKinds: Partial<Record<JournalEntry["type"], StepKind>> = {
  "task-start": "work",
  "worktree-ready": "work",
  "work-submit": "work",
  "work-commit": "work",
  "work-missing": "work",
  "verify-end": "verify",
  "review-end": "review",
  "merge-start": "merge",
  "merge-end": "merge",
  "task-approve": "end",
  "task-fail": "end",
  "task-stop": "end",
}

const view = (spend: Spend | undefined): SpendView => ({ tokens: spend ? totalTokens(spend) : 0, cost: spend?.cost ?? 0 })

function layers(state: MissionState): Map<string, number> {
  const byId = new Map(state.tasks.map((task) => [task.id, task]))
  const depth = new Map<string, number>()
  // Bounded: a plan is acyclic (validated), and a cycle read here counts as depth 0 at its second visit.
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    if (seen.has(id)) return 0
    seen.add(id)
    const task = byId.get(id)
    const value = task && task.dependsOn.length ? 1 + Math.max(...task.dependsOn.map((dep) => visit(dep, seen))) : 0
    depth.set(id, value)
    return value
  }
  for (const task of state.tasks) visit(task.id, new Set())
  return depth
}

export function dashboardView(state: MissionState, entries: JournalEntry[]): DashboardView {
  const depth = layers(state)
  const timelines = new Map<string, TimelineStep[]>()
  for (const entry of entries) {
    const kind = stepKinds[entry.type]
    const taskId = "taskId" in entry ? entry.taskId : undefined
    const text = kind && taskId ? eventLine(entry) : undefined
    if (!kind || !taskId || !text) continue
    const attempt = "attempt" in entry && typeof entry.attempt === "number" ? entry.attempt : undefined
    const steps = timelines.get(taskId) ?? []
    steps.push({ attempt, kind, at: entry.at, text: text.replace(`task ${taskId}: `, "") })
    timelines.set(taskId, steps)
  }
  const byTask = groupSpend(state.spend, (entry) => entry.taskId)
  const byRole = groupSpend(state.spend, (entry) => entry.role)
  // Said once the workspace is closed: before that, "sealed" does not yet say where the result is.
  const outcome = missionSettled(state) ? missionOutcome(state) : undefined
  return {
    missionId: state.missionId,
    goal: state.goal,
    status: state.status,
    outcome,
    outcomeLine: outcome ? outcomeLine(state) : undefined,
    startedAt: entries[0]?.at,
    updatedAt: entries.at(-1)?.at,
    spend: view(missionSpend(state)),
    byRole: Object.fromEntries([...byRole].map(([role, spend]) => [role, view(spend)])),
    tasks: state.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      status: task.status,
      dependsOn: task.dependsOn,
      layer: depth.get(task.id) ?? 0,
      attempts: task.attempts,
      spend: view(byTask.get(task.id)),
      byRole: Object.fromEntries([...groupSpend(state.spend.filter((entry) => entry.taskId === task.id), (entry) => entry.role)].map(([role, spend]) => [role, view(spend)])),
      timeline: timelines.get(task.id) ?? [],
      evidence: task.evidence.map((item) => ({ command: item.command, outcome: evidenceOutcome(item), exitCode: item.exitCode })),
      findings: task.findings.map(findingLine),
      failReason: task.failReason,
    })),
    masterFindings: state.masterFindings.map(findingLine),
    events: entries.length,
  }
}
