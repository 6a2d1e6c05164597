import { mkdirSync, writeFileSync, existsSync } from "node:fs"
import path from "node:path"
import type { OrchestratorConfig } from "../config/config.js"
import type { Workspace } from "../workspace/workspace.js"
import { appendJournal, writeFileAtomic } from "./journal.js"
import type { Finding, MissionEvent, PlannedTask } from "./mission-event.js"
import { applyEvent, initialState, type MissionState } from "./mission-state.js"
import { validatePlan } from "./plan-validation.js"
import { ConversationBudgets } from "./conversation-budgets.js"
import { faultPoint } from "./fault-point.js"
import { Redactor } from "./redact.js"
import { renderReport } from "./report-render.js"
import { renderTodo } from "./todo-render.js"

export type SubmissionKind = "plan" | "work" | "review" | "verdict"

export interface Verdict {
  verdict: "approve" | "reject"
  findings: Finding[]
}

interface Slot {
  kind: SubmissionKind
  /** The directory the session works in: what a touched file is relative to. */
  directory: string
  taskId?: string
  attempt?: number
  filled: boolean
  value?: unknown
}

/** A tool call that cannot be accepted. Its message goes back to the model; nothing changes. */
export class SubmissionError extends Error {
  readonly name = "SubmissionError"
}

export const missionsFolder = path.join(".opencode", "orchestrator")


export function newMissionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)
  return `m-${stamp}-${Math.random().toString(36).slice(2, 6)}`
}

/**
 * One mission: its state (a fold over its journal), its files, and the submission slots its
 * child sessions fill through tools. Control flow lives in the engine, not here.
 */
export class Mission {
  state: MissionState
  readonly folder: string
  readonly stopController = new AbortController()
  /** Set when the commander's run_mission follows this mission. */
  attached = false
  private readonly listeners = new Set<(state: MissionState, event: MissionEvent) => void>()
  private readonly slots = new Map<string, Slot>()
  private readonly touched = new Map<string, Set<string>>()
  /** Each child conversation's time and tool-call budget. */
  readonly budgets: ConversationBudgets
  private renderedTodo = ""
  private readonly redactor = new Redactor()

  /** A new mission (writes its folder and first event), or one loaded from its journal (`Mission.load`). */
  constructor(
    readonly id: string,
    start: Extract<MissionEvent, { type: "mission-start" }> | { loaded: MissionState },
    readonly config: OrchestratorConfig,
    readonly workspace: Workspace,
  ) {
    this.budgets = new ConversationBudgets(config.budget)
    const directory = "loaded" in start ? start.loaded.directory : start.directory
    this.folder = path.join(directory, missionsFolder, id)
    if ("loaded" in start) {
      this.state = start.loaded
      return
    }
    const parent = path.dirname(this.folder)
    mkdirSync(this.folder, { recursive: true })
    // Our own .gitignore keeps mission files out of git without editing the user's.
    if (!existsSync(path.join(parent, ".gitignore"))) writeFileSync(path.join(parent, ".gitignore"), "*\n")
    const safeStart = this.redacted(start)
    this.state = initialState(safeStart)
    appendJournal(this.journalFile, safeStart)
  }

  get journalFile(): string {
    return path.join(this.folder, "journal.jsonl")
  }
  get todoFile(): string {
    return path.join(this.folder, "TODO.md")
  }
  get reportFile(): string {
    return path.join(this.folder, "report.md")
  }
  get stopped(): boolean {
    return this.stopController.signal.aborted
  }

  /**
   * Journals the event (flushed), folds it into state, re-renders TODO.md if it changed, tells
   * listeners. Secrets from the environment are removed first: nothing on disk or in state has them.
   */
  record(unsafeEvent: MissionEvent): void {
    const event = this.redacted(unsafeEvent)
    faultPoint(`before:${event.type}`)
    appendJournal(this.journalFile, event)
    faultPoint(`after:${event.type}`)
    this.state = applyEvent(this.state, event)
    const todo = renderTodo(this.state)
    if (todo !== this.renderedTodo) writeFileAtomic(this.todoFile, todo)
    this.renderedTodo = todo
    for (const listener of this.listeners) listener(this.state, event)
  }

  private redacted<T extends MissionEvent>(event: T): T {
    return JSON.parse(this.redactor.redact(JSON.stringify(event))) as T
  }

  writeReport(): string {
    const report = renderReport(this.state)
    writeFileAtomic(this.reportFile, report)
    return report
  }

  onChange(listener: (state: MissionState, event: MissionEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stop(reason: string): void {
    if (!this.stopped) this.stopController.abort(new Error(reason))
  }

  // ---- submissions: the engine opens a slot before prompting; a tool fills it once ----

  openSlot(sessionId: string, kind: SubmissionKind, directory: string, taskId?: string, attempt?: number): void {
    this.slots.set(sessionId, { kind, directory, taskId, attempt, filled: false })
    if (kind === "work") this.touched.set(sessionId, new Set())
  }

  /** The slot's value if the tool filled it; the slot stays (a late second call is still refused). */
  takeSubmission<T>(sessionId: string): T | undefined {
    const slot = this.slots.get(sessionId)
    return slot?.filled ? (slot.value as T) : undefined
  }

  /** True once the slot can take nothing more (submitted, or out of attempts). */
  slotSpent(sessionId: string): boolean {
    return this.slots.get(sessionId)?.filled ?? false
  }

  private openSlotFor(sessionId: string, kind: SubmissionKind): Slot {
    if (this.state.status !== "running") throw new SubmissionError(`the mission has ended (${this.state.status}); stop now`)
    const slot = this.slots.get(sessionId)
    if (!slot || slot.kind !== kind) throw new SubmissionError(`this session is not expected to call ${toolOf[kind]} now`)
    if (slot.filled) throw new SubmissionError(`${toolOf[kind]} was already called for this ${kind === "plan" ? "plan" : "attempt"}; stop now`)
    return slot
  }

  /** Validates and records a plan. Returns the text the planner sees. */
  submitPlan(sessionId: string, tasks: PlannedTask[]): string {
    const slot = this.openSlotFor(sessionId, "plan")
    const attempt = this.state.planAttempts + 1
    const existing = this.state.tasks.map((task) => task.id)
    const problems = validatePlan(tasks, existing)
    if (problems.length > 0) {
      this.record({ type: "plan-reject", attempt, problems })
      const left = this.config.maxPlanAttempts - attempt
      if (left <= 0) {
        slot.filled = true
        throw new SubmissionError(`plan rejected:\n- ${problems.join("\n- ")}\nNo attempts left; the mission fails. Stop now.`)
      }
      throw new SubmissionError(`plan rejected (${left} attempt${left === 1 ? "" : "s"} left). Fix every problem and call submit_plan again:\n- ${problems.join("\n- ")}`)
    }
    slot.filled = true
    slot.value = tasks
    this.record({ type: "plan-accept", attempt, tasks })
    return `Plan accepted: ${tasks.length} task${tasks.length === 1 ? "" : "s"}. Stop now.`
  }

  submitWork(sessionId: string, summary: string): string {
    const slot = this.openSlotFor(sessionId, "work")
    slot.filled = true
    slot.value = summary
    const touchedFiles = [...(this.touched.get(sessionId) ?? [])]
    this.record({ type: "work-submit", taskId: slot.taskId!, attempt: slot.attempt!, summary, touchedFiles })
    return "Submitted. The orchestrator now runs verification and a review; stop now."
  }

  submitVerdict(sessionId: string, kind: "review" | "verdict", verdict: Verdict): string {
    const slot = this.openSlotFor(sessionId, kind)
    slot.filled = true
    slot.value = verdict
    return "Recorded. Stop now."
  }

  /** The directory a child session works in (known once the engine has prompted it). */
  sessionDirectory(sessionId: string): string | undefined {
    return this.slots.get(sessionId)?.directory
  }

  /** A file a worker session wrote (from the host's tool hooks), relative to the session's directory. */
  noteTouched(sessionId: string, file: string): void {
    const files = this.touched.get(sessionId)
    const directory = this.slots.get(sessionId)?.directory
    if (!files || !directory) return
    const relative = path.isAbsolute(file) ? path.relative(directory, file) : path.normalize(file)
    if (relative && !relative.startsWith("..") && !path.isAbsolute(relative)) files.add(relative.split(path.sep).join("/"))
  }
}

const toolOf: Record<SubmissionKind, string> = { plan: "submit_plan", work: "submit_work", review: "submit_review", verdict: "submit_verdict" }
