import type { RoleName } from "../config/roles.js"
import { noSpend, spendSince, type SpendEntry } from "../economy/spend.js"
import { warningKey } from "../economy/spend-caps.js"
import { foldMemory, initialMemory, type MemoryState } from "../context/memory.js"
import { recordGet, recordSet, type ShardedRecord } from "../collections/sharded-record.js"
import type { Evidence, Finding, MissionEvent, MissionStatus, PlannedTask, TokenUsage, WorkspaceClosing, WorkspaceOpening } from "./mission-event.js"

/** "stopped": it was in flight when the mission was stopped; neither done nor failed. */
export type TaskStatus = "pending" | "working" | "reviewing" | "merging" | "approved" | "failed" | "stopped"

/** A task with an attempt under way: its worker, review or merge had started and not ended. */
export function inFlight(task: Pick<TaskState, "status">): boolean {
  return task.status === "working" || task.status === "reviewing" || task.status === "merging"
}

/** An event that does not fit the state it is applied to (a replayed start or plan, an unknown task). Never applied. */
export class EventConflictError extends Error {
  readonly name = "EventConflictError"
}

/** What isolation cost a task, summed over its attempts (milliseconds). */
export interface WorktreeCost {
  createMs: number
  prepareMs: number
  mergeMs: number
}

export interface TaskState extends PlannedTask {
  status: TaskStatus
  /** Attempts started so far (work → verify → review). */
  attempts: number
  round: number
  sessionId?: string
  summary?: string
  touchedFiles: string[]
  /** Findings of the latest rejected attempt; what the worker must fix next. */
  findings: Finding[]
  evidence: Evidence[]
  failReason?: string
  /** Its worktree (worktree mode), the last commit code made of its work, and what isolation cost. */
  worktree?: { directory: string; branch: string }
  commit?: string
  cost: WorktreeCost
  /** Memory items its worker session was shown already (a later attempt in the same session is not shown them again). */
  memoryShown: string[]
}

export interface SessionUsage {
  role: RoleName
  taskId?: string
  tokens: TokenUsage
  cost: number
  /** Model requests so far (journals before it was recorded: none). */
  requests?: number
}

export interface MissionState {
  missionId: string
  goal: string
  rootSessionId: string
  directory: string
  verifyCommands: string[]
  status: MissionStatus
  endReason?: string
  planAttempts: number
  planProblems: string[]
  round: number
  tasks: TaskState[]
  masterFindings: Finding[]
  missionEvidence: Evidence[]
  /** Each conversation's latest running totals, by `usageKey` (read with `sessionUsageOf`). */
  usage: ShardedRecord<SessionUsage>
  /** How often the mission was resumed after its process ended. */
  resumes: number
  workspace?: WorkspaceOpening
  /** The OS sandbox of the mission's commands, as it opened (the latest, after a resume). */
  sandbox?: Omit<Extract<MissionEvent, { type: "sandbox-open" }>, "type">
  closing?: WorkspaceClosing
  /** The mission branch's head after the latest merge, and its verification evidence. */
  verifiedHead?: { commit: string; evidence: Evidence[] }
  /** Events folded so far: the next journal line's `seq` is this plus one. */
  events: number
  /** What each conversation spent, in order (from the sessions' running totals). */
  spend: SpendEntry[]
  /** Caps already warned of at 80% (`warningKey`). */
  capWarnings: string[]
  /** The latest changes of the model slots this mission used (at most `slotHistory`). */
  slotChanges: Array<{ model: string; slots: number; reason: string }>
  /** What the mission learned, weighted (context/memory.ts): folded from the same events. */
  memory: MemoryState
  /** Child sessions the host compacted so far. */
  compactions: number
}

export function emptyUsage(): TokenUsage {
  return { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }
}

function newTask(task: PlannedTask, round: number): TaskState {
  return { ...task, status: "pending", attempts: 0, round, touchedFiles: [], findings: [], evidence: [], cost: { createMs: 0, prepareMs: 0, mergeMs: 0 }, memoryShown: [] }
}

function taskIndex(state: MissionState, taskId: string): number {
  const index = state.tasks.findIndex((task) => task.id === taskId)
  if (index < 0) throw new EventConflictError(`an event for task ${JSON.stringify(taskId)}, which the plan does not have`)
  return index
}

/** The state as it is, once the plan is known to have the task (an event for another throws). */
function withKnownTask(state: MissionState, taskId: string): MissionState {
  taskIndex(state, taskId)
  return state
}

function updateTask(state: MissionState, taskId: string, change: (task: TaskState) => TaskState): MissionState {
  const index = taskIndex(state, taskId)
  const tasks = state.tasks.slice()
  tasks[index] = change(tasks[index]!)
  return { ...state, tasks }
}

export function initialState(event: Extract<MissionEvent, { type: "mission-start" }>): MissionState {
  return {
    missionId: event.missionId,
    goal: event.goal,
    rootSessionId: event.rootSessionId,
    directory: event.directory,
    verifyCommands: event.verifyCommands,
    status: "running",
    planAttempts: 0,
    planProblems: [],
    round: 1,
    tasks: [],
    masterFindings: [],
    missionEvidence: [],
    usage: {},
    resumes: 0,
    events: 1,
    spend: [],
    capWarnings: [],
    slotChanges: [],
    memory: foldMemory(initialMemory(event.memoryAlpha), event, []),
    compactions: 0,
  }
}

/**
 * The one place mission state changes. Pure: the same events always give the same state. An
 * event that would rewrite history (a second start, a second plan, an unknown task) throws
 * EventConflictError instead of resetting anything.
 */
/** How many slot changes the state keeps (the journal has them all). */
export const slotHistory = 100

/** Whose running totals a usage update carries: a child session's, or one commander step's. */
export function usageKey(event: { sessionId: string; messageId?: string }): string {
  return event.messageId ? `${event.sessionId}/${event.messageId}` : event.sessionId
}

/** The latest running totals of one conversation (a `usageKey`), if it reported any. */
export function sessionUsageOf(state: Pick<MissionState, "usage">, key: string): SessionUsage | undefined {
  return recordGet(state.usage, key)
}

export function applyEvent(state: MissionState, event: MissionEvent): MissionState {
  const next = nextState(state, event)
  return { ...next, memory: foldMemory(state.memory, event, state.tasks), events: state.events + 1 }
}

function nextState(state: MissionState, event: MissionEvent): MissionState {
  switch (event.type) {
    case "mission-start":
      throw new EventConflictError("a second mission-start: the mission has started already")
    case "workspace-open": {
      const { type: _type, ...opening } = event
      return { ...state, workspace: opening }
    }
    case "sandbox-open": {
      const { type: _type, ...opening } = event
      return { ...state, sandbox: opening }
    }
    case "workspace-close": {
      const { type: _type, ...closing } = event
      return { ...state, closing }
    }
    case "mission-resume":
      // A paused mission runs again; an ended one (resumed only to finish its cleanup) stays ended.
      return { ...state, ...(state.status === "paused" ? { status: "running" as const, endReason: undefined } : {}), rootSessionId: event.rootSessionId, resumes: state.resumes + 1 }
    case "mission-pause":
      return { ...state, status: "paused", endReason: event.reason }
    case "task-resume":
      // Interrupted mid-attempt: it starts again with its next attempt, in a fresh tree.
      return updateTask(state, event.taskId, (task) => ({ ...task, status: "pending", worktree: undefined, attempts: event.attemptCounted ? task.attempts : task.attempts - 1, memoryShown: [] }))
    case "worktree-ready":
      return updateTask(state, event.taskId, (task) => ({
        ...task,
        worktree: { directory: event.directory, branch: event.branch },
        cost: { ...task.cost, createMs: task.cost.createMs + event.createMs, prepareMs: task.cost.prepareMs + event.prepareMs },
      }))
    case "work-commit":
      return updateTask(state, event.taskId, (task) => ({ ...task, commit: event.commit ?? task.commit, touchedFiles: [...new Set([...task.touchedFiles, ...event.files])] }))
    case "merge-start":
      return updateTask(state, event.taskId, (task) => ({ ...task, status: "merging" }))
    case "merge-end": {
      const merged = updateTask(state, event.taskId, (task) => ({
        ...task,
        findings: event.outcome === "merged" ? [] : event.findings,
        cost: { ...task.cost, mergeMs: task.cost.mergeMs + event.durationMs },
      }))
      // Evidence from a task's own tree does not stand for the mission tree's: the mission's last verification runs there.
      const verified = event.evidenceOf === undefined ? (event.verified ?? event.commit) : undefined
      return event.outcome === "merged" && verified ? { ...merged, verifiedHead: { commit: verified, evidence: event.evidence } } : merged
    }
    case "plan-reject":
      return { ...state, planAttempts: event.attempt, planProblems: event.problems }
    case "plan-accept":
      if (state.tasks.length > 0) throw new EventConflictError(`a second plan-accept: the mission has a plan of ${state.tasks.length} task(s) already`)
      return { ...state, planAttempts: event.attempt, planProblems: [], tasks: event.tasks.map((task) => newTask(task, 1)) }
    case "task-start":
      return updateTask(state, event.taskId, (task) => ({ ...task, status: "working", attempts: event.attempt, sessionId: event.sessionId }))
    case "work-submit":
      return updateTask(state, event.taskId, (task) => ({
        ...task,
        status: "reviewing",
        summary: event.summary,
        touchedFiles: [...new Set([...task.touchedFiles, ...event.touchedFiles])],
      }))
    case "work-missing":
      return updateTask(state, event.taskId, (task) => ({ ...task, findings: [{ message: event.reason }] }))
    case "verify-end":
      if (event.taskId === undefined) return { ...state, missionEvidence: event.evidence }
      return updateTask(state, event.taskId, (task) => ({ ...task, evidence: event.evidence }))
    case "review-end":
      return updateTask(state, event.taskId, (task) => ({
        ...task,
        findings: event.verdict === "reject" ? event.findings : [],
      }))
    case "task-approve":
      return updateTask(state, event.taskId, (task) => ({ ...task, status: "approved" }))
    case "task-fail":
      return updateTask(state, event.taskId, (task) => ({ ...task, status: "failed", failReason: event.reason }))
    case "task-stop":
      return updateTask(state, event.taskId, (task) => ({ ...task, status: "stopped", failReason: event.reason }))
    case "master-review-end":
      return { ...state, masterFindings: event.verdict === "reject" ? event.findings : [] }
    case "tasks-add": {
      const known = event.tasks.find((task) => state.tasks.some((existing) => existing.id === task.id))
      if (known) throw new EventConflictError(`tasks-add of task ${JSON.stringify(known.id)}, which exists already`)
      return { ...state, round: event.round, tasks: [...state.tasks, ...event.tasks.map((task) => newTask(task, event.round))] }
    }
    case "usage-update": {
      const key = usageKey(event)
      const before = recordGet(state.usage, key)
      const added = spendSince({ tokens: event.tokens, cost: event.cost }, before ?? noSpend())
      return {
        ...state,
        usage: recordSet(state.usage, key, { role: event.role, taskId: event.taskId, tokens: event.tokens, cost: event.cost, requests: event.requests }),
        spend: [...state.spend, { role: event.role, taskId: event.taskId, attempt: event.attempt, ...added }],
      }
    }
    case "slots-update":
      return { ...state, slotChanges: [...state.slotChanges, { model: event.model, slots: event.slots, reason: event.reason }].slice(-slotHistory) }
    case "budget-warn":
      return { ...state, capWarnings: [...state.capWarnings, warningKey(event)] }
    case "mission-end":
      return { ...state, status: event.status, endReason: event.reason }
    case "mission-amend":
      return state
    case "task-result":
      return withKnownTask(state, event.taskId)
    case "context-build":
      if (event.taskId === undefined) return state
      if (event.role !== "worker") return withKnownTask(state, event.taskId)
      return updateTask(state, event.taskId, (task) => ({ ...task, memoryShown: [...new Set([...task.memoryShown, ...event.included])] }))
    case "session-compact":
      return { ...state, compactions: state.compactions + 1 }
  }
}

/** Folds a whole journal. The first event must be `mission-start`. A conflict names the event's place (1-based). */
export function foldEvents(events: MissionEvent[], lineOf?: number[]): MissionState {
  const [first] = events
  if (!first || first.type !== "mission-start") throw new EventConflictError("a mission journal starts with mission-start")
  let state = initialState(first)
  for (let index = 1; index < events.length; index++) {
    try {
      state = applyEvent(state, events[index]!)
    } catch (error) {
      if (error instanceof EventConflictError) throw new EventConflictError(`${lineOf ? `line ${lineOf[index]}` : `event ${index + 1}`} (${events[index]!.type}): ${error.message}`)
      throw error
    }
  }
  return state
}
