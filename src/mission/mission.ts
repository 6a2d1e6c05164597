import { mkdirSync, writeFileSync, existsSync, statSync } from "node:fs"
import path from "node:path"
import type { OrchestratorConfig } from "../config/config.js"
import type { Workspace } from "../workspace/workspace.js"
import { CommandSandbox } from "../sandbox/command-sandbox.js"
import { isInside } from "../guard/path-guard.js"
import { appendJournal, JournalAppender, JournalWriteError, writeFileAtomic } from "../store/journal.js"
import { acquireMissionLock, type MissionLock } from "../store/mission-lock.js"
import type { Finding, MissionEvent, PlannedTask } from "./mission-event.js"
import { applyEvent, initialState, type MissionState } from "./mission-state.js"
import { repositoryProblems, validatePlan, type RepositoryFacts } from "./plan-validation.js"
import { ConversationBudgets } from "./conversation-budgets.js"
import { faultPoint } from "./fault-point.js"
import { Redactor } from "../secrets/redactor.js"
import { scanSecrets } from "../secrets/secret-scan.js"
import { learnFileSecrets } from "../secrets/env-files.js"
import { renderReport } from "./report-render.js"
import { renderTodo } from "./todo-render.js"

/** How long TODO.md may lag the journal: events within it share one render. */
export const todoDelayMs = 100

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
  /** Told the step (the host's assistant message id) of the call that filled the slot; undefined when the caller had none. */
  submitted: (messageId: string | undefined) => void
  whenSubmitted: Promise<string | undefined>
}

/** A tool call that cannot be accepted. Its message goes back to the model; nothing changes. */
export class SubmissionError extends Error {
  readonly name = "SubmissionError"
}

/**
 * Why this process may no longer write the mission's journal: a write failed (the disk is full,
 * a size limit), or another process took the mission's lock. Nothing more is recorded or acted on.
 */
export interface MissionHalt {
  kind: "storage" | "lock"
  reason: string
}

/** Thrown by `record` once the mission is halted: the event is not on disk, so nothing may act on it. */
export class MissionHaltedError extends Error {
  readonly name = "MissionHaltedError"
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
  /** What a plan's files and names are checked against, once the plan phase has mapped the repository. */
  planFacts?: RepositoryFacts
  private readonly listeners = new Set<(state: MissionState, event: MissionEvent) => void>()
  private readonly slots = new Map<string, Slot>()
  private readonly touched = new Map<string, Set<string>>()
  /** Each child conversation's time and tool-call budget. */
  readonly budgets: ConversationBudgets
  private renderedTodo = ""
  private todoTimer?: NodeJS.Timeout
  private readonly redactor = new Redactor()
  /** Set once this process must stop writing (see MissionHalt). */
  halt?: MissionHalt
  /** The lock this process writes the journal under while the mission runs here. */
  private journalLock?: MissionLock
  /** The journal's size when this process let go of it: another writer since changes it. */
  private releasedAt?: number
  /** The journal, open while this process writes it; a failed flush halts the mission. */
  private readonly journal: JournalAppender

  /** A new mission (writes its folder and first event), or one loaded from its journal (`Mission.load`). */
  constructor(
    readonly id: string,
    start: Extract<MissionEvent, { type: "mission-start" }> | { loaded: MissionState },
    readonly config: OrchestratorConfig,
    readonly workspace: Workspace,
    /** Where the mission's commands run: bubblewrap, or (sandbox "off", or none to be had) as they are. */
    readonly sandbox: CommandSandbox = new CommandSandbox(undefined, id, false),
  ) {
    this.budgets = new ConversationBudgets(config.budget)
    const directory = "loaded" in start ? start.loaded.directory : start.directory
    // The files copied into every worktree (.env by default): their values never reach a mission file.
    learnFileSecrets(this.redactor, directory, config.worktrees.copy)
    this.folder = path.join(directory, missionsFolder, id)
    this.journal = new JournalAppender(this.journalFile, (error) => this.haltWith({ kind: "storage", reason: error.message }))
    if ("loaded" in start) {
      this.state = start.loaded
      return
    }
    const parent = path.dirname(this.folder)
    mkdirSync(this.folder, { recursive: true })
    // Our own .gitignore keeps mission files out of git without editing the user's.
    if (!existsSync(path.join(parent, ".gitignore"))) writeFileSync(path.join(parent, ".gitignore"), "*\n")
    const safeStart = this.withoutSecrets(start)
    appendJournal(this.journalFile, safeStart, { seq: 1 })
    this.state = initialState(safeStart)
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
   * Folds the event (a conflicting one throws, writing nothing), journals it (flushed, with its
   * sequence number), then takes the new state, has TODO.md re-rendered soon and tells
   * listeners. Secrets are removed first: nothing on disk or in state has them. A journal write
   * that fails halts the mission: this and every later event throws, and the engine stops.
   */
  record(unsafeEvent: MissionEvent): void {
    if (this.halt) throw new MissionHaltedError(this.halt.reason)
    const event = this.withoutSecrets(unsafeEvent)
    const next = applyEvent(this.state, event)
    faultPoint(`before:${event.type}`)
    try {
      this.journal.append(event, next.events)
    } catch (error) {
      if (error instanceof JournalWriteError) this.haltWith({ kind: "storage", reason: error.message })
      throw error
    }
    faultPoint(`after:${event.type}`)
    this.state = next
    // TODO.md follows within `todoDelayMs`: one render for a burst of events, not one per event.
    this.todoTimer ??= setTimeout(() => this.flushTodo(), todoDelayMs).unref()
    for (const listener of this.listeners) listener(this.state, event)
  }

  /** Writes TODO.md now if the state changed it: rendered from the journal, atomic, not fsynced (a resume renders it again). */
  flushTodo(): void {
    if (this.todoTimer) clearTimeout(this.todoTimer)
    this.todoTimer = undefined
    const todo = renderTodo(this.state)
    if (todo === this.renderedTodo) return
    try {
      writeFileAtomic(this.todoFile, todo, { durable: false })
      this.renderedTodo = todo
    } catch {} // a full disk: the journal is the record, and the next flush tries again
  }

  /**
   * The state a halted mission ends in, in this process: paused. After a storage failure the pause
   * is journaled if the disk takes it now (a resume goes on either way); after a lost lock nothing
   * is written, the journal is the new owner's.
   */
  settleHalt(): MissionState {
    const halt = this.halt!
    const pause: MissionEvent = { type: "mission-pause", reason: halt.reason }
    if (halt.kind === "storage") {
      try {
        appendJournal(this.journalFile, pause, { seq: this.state.events + 1 })
      } catch {}
    }
    this.state = applyEvent(this.state, pause)
    return this.state
  }

  /** Stops all work: this process may not write the journal any more. */
  haltWith(halt: MissionHalt): void {
    this.halt ??= halt
    this.stop(halt.reason)
  }

  /** `value` with every secret learnt so far redacted: what is recorded, and what a later prompt may show. */
  withoutSecrets<T>(value: T): T {
    return this.redactor.redactDeep(value)
  }

  /** Scans text a model or a command produced (secretlint's rules); what it finds is redacted from everything recorded after. */
  async learnSecrets(texts: string[]): Promise<void> {
    for (const found of await scanSecrets(texts)) this.redactor.learn(found.value, found.rule)
  }

  /** This process writes the journal from now on, under `lock`. */
  holdJournal(lock: MissionLock): void {
    this.journalLock = lock
    this.releasedAt = undefined
  }

  /** The run here is over: the lock goes (a resume elsewhere may take it). */
  releaseJournal(): void {
    if (!this.journalLock) return
    this.journal.close()
    this.journalLock.release()
    this.journalLock = undefined
    this.releasedAt = fileSize(this.journalFile)
  }

  /**
   * An event that may arrive after the run ended here (the commander's own steps finish after its
   * run_mission returned): recorded under the lock, taken again for it and report.md rewritten
   * when this process had let go, unless the journal changed since (another process owns the
   * mission now). Returns whether it was recorded.
   */
  recordLate(event: MissionEvent): boolean {
    if (this.halt) return false
    if (this.journalLock) {
      try {
        this.record(event)
        return true
      } catch {
        return false // a journal write that failed has halted the mission already
      }
    }
    if (this.releasedAt === undefined || fileSize(this.journalFile) !== this.releasedAt) return false
    const lock = acquireMissionLock(this.folder)
    if (!lock.ok) return false
    try {
      this.record(event)
      this.writeReport()
      return true
    } catch {
      return false
    } finally {
      this.journal.close()
      lock.value.release()
      this.releasedAt = fileSize(this.journalFile)
    }
  }

  writeReport(): string {
    this.flushTodo()
    const report = renderReport(this.state)
    // Best effort once halted (the disk may be full): the journal is the record.
    try {
      writeFileAtomic(this.reportFile, report)
    } catch (error) {
      if (!this.halt) throw error
    }
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
    let submitted!: (messageId: string | undefined) => void
    const whenSubmitted = new Promise<string | undefined>((resolve) => (submitted = resolve))
    this.slots.set(sessionId, { kind, directory, taskId, attempt, filled: false, submitted, whenSubmitted })
    if (kind === "work") this.touched.set(sessionId, new Set())
  }

  /** The slot's value if the tool filled it; the slot stays (a late second call is still refused). */
  takeSubmission<T>(sessionId: string): T | undefined {
    const slot = this.slots.get(sessionId)
    return slot?.filled ? (slot.value as T) : undefined
  }

  /**
   * Resolves when a tool fills the session's open slot, with the step that made the call (if the
   * tool was told it); pending while nothing is submitted. A slot filled without a submission
   * (out of plan attempts) never resolves it.
   */
  whenSubmitted(sessionId: string): Promise<string | undefined> {
    return this.slots.get(sessionId)?.whenSubmitted ?? new Promise(() => {})
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
  submitPlan(sessionId: string, tasks: PlannedTask[], messageId?: string): string {
    const slot = this.openSlotFor(sessionId, "plan")
    const attempt = this.state.planAttempts + 1
    const existing = this.state.tasks.map((task) => task.id)
    const problems = validatePlan(tasks, existing, this.config.maxPlanTasks)
    if (!problems.length && this.planFacts) problems.push(...repositoryProblems(tasks, this.planFacts))
    if (problems.length > 0) {
      this.record({ type: "plan-reject", attempt, problems })
      const left = this.config.maxPlanAttempts - attempt
      if (left <= 0) {
        slot.filled = true
        throw new SubmissionError(`plan rejected:\n- ${problems.join("\n- ")}\nNo attempts left; the mission fails. Stop now.`)
      }
      throw new SubmissionError(`plan rejected (${left} attempt${left === 1 ? "" : "s"} left). Fix every problem and call submit_plan again:\n- ${problems.join("\n- ")}`)
    }
    // On disk first: the engine acts on the slot only once the event is journaled.
    this.record({ type: "plan-accept", attempt, tasks })
    this.journal.sync()
    slot.filled = true
    slot.value = this.redactor.redactDeep(tasks)
    slot.submitted(messageId)
    return `Plan accepted: ${tasks.length} task${tasks.length === 1 ? "" : "s"}. Stop now.`
  }

  submitWork(sessionId: string, summary: string, messageId?: string): string {
    const slot = this.openSlotFor(sessionId, "work")
    const touchedFiles = [...(this.touched.get(sessionId) ?? [])]
    this.record({ type: "work-submit", taskId: slot.taskId!, attempt: slot.attempt!, summary, touchedFiles })
    this.journal.sync()
    slot.filled = true
    slot.value = this.redactor.redact(summary)
    slot.submitted(messageId)
    return "Submitted. The orchestrator now runs verification and a review; stop now."
  }

  submitVerdict(sessionId: string, kind: "review" | "verdict", verdict: Verdict, messageId?: string): string {
    const slot = this.openSlotFor(sessionId, kind)
    slot.filled = true
    slot.value = this.redactor.redactDeep(verdict)
    slot.submitted(messageId)
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
    if (relative && isInside(directory, path.resolve(directory, relative))) files.add(relative.split(path.sep).join("/"))
  }
}

const toolOf: Record<SubmissionKind, string> = { plan: "submit_plan", work: "submit_work", review: "submit_review", verdict: "submit_verdict" }

function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size
  } catch {
    return undefined
  }
}
