import type { RoleName } from "../config/roles.js"
import type { HostResult, MissionHost } from "../host/mission-host.js"
import type { SessionUsage } from "../economy/session-usage.js"
import type { Evidence } from "../mission/mission-event.js"
import { sessionUsageOf } from "../mission/mission-state.js"
import type { Mission, SubmissionKind } from "../mission/mission.js"
import type { MissionRegistry } from "../mission/mission-registry.js"
import pLimit, { type LimitFunction } from "p-limit"
import type { OneAtATime } from "../concurrency/one-at-a-time.js"
import { mergeQueue, type MergeQueue } from "./merge-train.js"
import { machineVerifySlots, missionVerifySlots } from "../verify/verify-slots.js"
import { setTimeout as sleep } from "node:timers/promises"
import { retryDelayMs, shouldPause } from "../mission/provider-backoff.js"
import { runVerification } from "../verify/verify-run.js"
import { checkSpendCaps, warningLine } from "../economy/spend-caps.js"
import { tokenCounter, type CountTokens } from "../context/token-count.js"
import { taskDiagnostics, type TaskDiagnostics } from "./task-diagnostics.js"
import { agentModelKey, ModelSlots } from "../concurrency/model-slots.js"
import { ClosingTurns } from "./closing-turns.js"
import type { AdaptiveSlots } from "../concurrency/adaptive-slots.js"

/** Everything one mission's engine works with. One per mission; nothing module-global. */
export interface Engine {
  mission: Mission
  host: MissionHost
  registry: MissionRegistry
  /** Child sessions whose prompt is in flight, so a stop can abort them (the host does not). */
  live: Map<string, string>
  /** Child turns still ending after their submission was taken (engine/closing-turns.ts). */
  closingTurns: ClosingTurns
  /** The child sessions this engine opened: their usage tally is let go at the mission's end. */
  sessions: Set<string>
  verify(directory: string): Promise<Evidence[]>
  /** Approved tasks waiting for the merge train (engine/merge-train.ts), which merges them in batches. */
  mergeQueue: MergeQueue
  /** Directories whose host instance was seen to have our agents. */
  checkedDirectories: Set<string>
  /** Consecutive provider failures across the mission (see mission/provider-backoff.ts). */
  providerFailures: number
  /** Set when the mission must pause: the provider kept failing. */
  pauseReason?: string
  /** The tokenizer, loading from the engine's creation on (never at plugin start). */
  tokens: Promise<CountTokens>
  /** Compiler errors a task's change adds, as evidence. */
  diagnostics: TaskDiagnostics
  /** The adaptive slots per provider/model, shared by the process's missions; their changes go in this journal. */
  slots: ModelSlots
  /** The slots of `model` for this mission, their changes journalled from now on. */
  watchSlots(model: string): AdaptiveSlots
}

/**
 * Verification runs of every mission in the process, limited by the machine (verify/verify-slots.ts);
 * each mission limits its own within that.
 */
export function machineVerifyLimit(): LimitFunction {
  return pLimit(machineVerifySlots())
}

export function createEngine(mission: Mission, host: MissionHost, registry: MissionRegistry, machine: LimitFunction = machineVerifyLimit(), slots: ModelSlots = new ModelSlots()): Engine {
  const isolation = { worktrees: mission.state.workspace?.mode === "worktrees", sandboxed: mission.state.sandbox?.kind === "bwrap" }
  const own = pLimit(missionVerifySlots(mission.config.verifyConcurrency, isolation, machine.concurrency))
  const verifications: OneAtATime = (work) => own(() => machine(work))
  const live = new Map<string, string>()
  mission.stopController.signal.addEventListener("abort", () => {
    for (const [sessionId, directory] of live) void host.abort(sessionId, directory)
  })
  // Slot changes are journalled while this engine runs its mission; a resume makes a new engine.
  const watched = new Map<string, () => void>()
  const unwatch = mission.onChange((state) => {
    if (state.status === "running") return
    for (const stop of watched.values()) stop()
    unwatch()
  })
  const watchSlots = (model: string) => {
    const pool = slots.pool(model, maxSlots(mission, model))
    if (watched.has(model)) return pool
    watched.set(
      model,
      pool.onChange((change) => {
        if (mission.state.status === "running" && !mission.halt) mission.record({ type: "slots-update", model, ...change })
      }),
    )
    return pool
  }
  return {
    mission,
    host,
    registry,
    live,
    closingTurns: new ClosingTurns(),
    sessions: new Set(),
    slots,
    watchSlots,
    checkedDirectories: new Set([mission.workspace.root]),
    providerFailures: 0,
    mergeQueue: mergeQueue(),
    tokens: tokenCounter(),
    // The compiler runs within the same limits as the tests: both are heavy.
    diagnostics: taskDiagnostics(mission, verifications),
    // In parallel only where runs cannot disturb each other (own worktree, own network namespace).
    // What the commands printed is scanned for secrets, and comes back without them: to be recorded, or shown to a model.
    verify: (directory) =>
      verifications(async () => {
        const evidence = await runVerification(
          mission.state.verifyCommands,
          directory,
          mission.config.verifyTimeoutSeconds * 1000,
          mission.stopController.signal,
          // In the sandbox, offline, the folder it checks writable (tests write caches and reports).
          mission.sandbox.wrapIn(directory, { network: false, userCheckout: directory === mission.workspace.root }),
        )
        await mission.learnSecrets(evidence.flatMap((item) => [item.outputHead, item.outputTail]))
        return mission.withoutSecrets(evidence)
      }),
  }
}

/** The most conversations `model` may have at once for this mission: its override, else `concurrency`. */
function maxSlots(mission: Mission, model: string): number {
  return mission.config.modelConcurrency[model] ?? mission.config.concurrency
}

/**
 * A child session in `directory`. A worktree is a host instance of its own: our agents exist
 * there only if the config that loads this plugin is visible from it, so that is checked first.
 */
export async function openChildSession(engine: Engine, role: RoleName, title: string, directory: string, taskId?: string): Promise<HostResult<string>> {
  if (!engine.checkedDirectories.has(directory)) {
    const agents = await engine.host.agentNames(directory)
    if (agents.ok && !agents.value.includes(role)) return { ok: false, error: missingAgentsMessage(directory) }
    if (agents.ok) engine.checkedDirectories.add(directory)
  }
  const created = await engine.host.createSession(engine.mission.state.rootSessionId, title, directory)
  if (created.ok) {
    engine.registry.bind(created.value, { mission: engine.mission, role, taskId })
    engine.sessions.add(created.value)
  }
  return created
}

export function missingAgentsMessage(directory: string): string {
  return `the orchestrator's agents are not loaded in ${directory}: OpenCode does not see the config that loads this plugin from a worktree. Commit that config, load the plugin from your global config, or keep "worktrees": { "includeUncommitted": true }.`
}

export interface AskOptions {
  sessionId: string
  directory: string
  role: RoleName
  kind: SubmissionKind
  text: string
  reminder: string
  taskId?: string
  attempt?: number
  /** Told once, when the conversation's first model request goes out (the host is then waiting on the model). */
  onFirstRequest?: () => void
}

/**
 * A failure is "provider" when the child's turn ended in a host error or ran out of time: worth a
 * wait and a retry. "paused": nothing was asked, the mission is pausing (a spend cap, the provider).
 */
export type AskOutcome<T> = { submitted: true; value: T } | { submitted: false; reason: string; failure?: "provider" | "paused" }

/**
 * Prompts a child and waits for its submission tool call. A child that ends its turn without
 * one gets exactly one reminder. Host and model failures come back as a reason, never thrown.
 * Once the step that made the submission has finished (the host's events say so), its usage is
 * recorded and the outcome returned: the rest of the turn, a closing step the plugin ends before
 * any request, ends beside what the engine does next (engine/closing-turns.ts).
 */
export async function askForSubmission<T>(engine: Engine, options: AskOptions): Promise<AskOutcome<T>> {
  const { mission, host } = engine
  const model = mission.config.roles[options.role]?.model
  // A turn of this session still closing: the next message waits for its end (never into a busy session).
  await engine.closingTurns.ended(options.sessionId)
  // Nothing new starts while the mission pauses, or once a spend cap is reached.
  if (engine.pauseReason || checkSpend(engine)) return { submitted: false, reason: engine.pauseReason!, failure: "paused" }
  // A slot of the model first (shared with every mission of the process): fewer while the provider is overloaded.
  const modelKey = model ?? agentModelKey
  const pool = engine.watchSlots(modelKey)
  const release = await engine.slots.hold(modelKey, maxSlots(mission, modelKey), options.sessionId, mission.stopController.signal).catch(() => undefined)
  if (!release) return { submitted: false, reason: "the mission was stopped" }
  const started = Date.now()
  const requestsBefore = sessionUsageOf(mission.state, options.sessionId)?.requests ?? 0
  let providerFailed = false
  /** The turn left to close, and the usage as of the submitting step, when the submission came before the turn's end. */
  let closing: { turn: Promise<unknown>; usage: SessionUsage } | undefined
  mission.openSlot(options.sessionId, options.kind, options.directory, options.taskId, options.attempt)
  engine.live.set(options.sessionId, options.directory)
  // The conversation's budget (time, and tool calls counted by the host's tool hook). Spent, the session is aborted.
  mission.budgets.watch(options.sessionId, () => void host.abort(options.sessionId, options.directory), options.onFirstRequest)
  const conversationEnded = () => {
    mission.budgets.end(options.sessionId)
    engine.live.delete(options.sessionId)
  }
  try {
    for (const text of [options.text, options.reminder]) {
      if (mission.stopped) return { submitted: false, reason: "the mission was stopped" }
      const turn = host.prompt({ sessionId: options.sessionId, directory: options.directory, agent: options.role, text, model })
      const usage = await usageAtSubmission(engine, options.sessionId, turn)
      if (usage) closing = { turn, usage }
      const result = closing ? undefined : await turn
      const value = mission.takeSubmission<T>(options.sessionId)
      if (value !== undefined || !result) {
        engine.providerFailures = 0
        return { submitted: true, value: value as T }
      }
      if (mission.slotSpent(options.sessionId)) return { submitted: false, reason: `the ${options.role} has no attempts left` }
      if (mission.stopped) return { submitted: false, reason: "the mission was stopped" }
      const exceeded = mission.budgets.exceeded(options.sessionId)
      // Out of budget without a single tool call: the provider never answered (a stalled stream, endless retries).
      if (exceeded) {
        providerFailed = exceeded.silent
        return providerFailure(engine, `the ${options.role} was aborted: ${exceeded.reason}`, exceeded.silent)
      }
      if (!result.ok) {
        providerFailed = !result.refused
        return providerFailure(engine, `the ${options.role} session failed: ${result.error}`, !result.refused)
      }
    }
    return { submitted: false, reason: `the ${options.role} stopped twice without calling its submit tool` }
  } finally {
    // No model request is left in the conversation: its model slot is free.
    release()
    if (closing) engine.closingTurns.add(options.sessionId, options.directory, closing.turn, conversationEnded)
    else conversationEnded()
    const usage = closing ? recordUsage(engine, options.sessionId, options.role, closing.usage, options.taskId, options.attempt) : await readUsage(engine, options.sessionId, options.directory, options.role, options.taskId, options.attempt)
    // The slots learn from how it went: a provider failure halves them; a success counts, with its time per request.
    if (providerFailed) pool.overloaded()
    else if (!mission.stopped) {
      const requests = (usage?.requests ?? requestsBefore) - requestsBefore
      pool.succeeded(requests > 0 ? { ms: (Date.now() - started) / requests, kind: options.role } : undefined)
    }
  }
}

/**
 * The conversation's usage as of the step that made its submission, once that step has finished,
 * if that comes before the turn ends; else undefined (no submission, a tool not told its step, a
 * session the events do not cover): the turn's end is then waited for, and the usage read after.
 */
async function usageAtSubmission(engine: Engine, sessionId: string, turn: Promise<unknown>): Promise<SessionUsage | undefined> {
  const ended = new AbortController()
  const turnEnded = turn.then(() => undefined)
  const stepEnded = engine.mission.whenSubmitted(sessionId).then((messageId) => (messageId ? engine.host.usageAfterStep(sessionId, messageId, ended.signal) : turnEnded))
  try {
    return await Promise.race([turnEnded, stepEnded])
  } finally {
    ended.abort()
  }
}

function providerFailure(engine: Engine, reason: string, provider: boolean): AskOutcome<never> {
  if (!provider) return { submitted: false, reason }
  engine.providerFailures++
  if (shouldPause(engine.providerFailures, backoffSettings(engine)))
    engine.pauseReason ??= `the model provider failed ${engine.providerFailures} times in a row; last: ${reason}`
  return { submitted: false, reason, failure: "provider" }
}

/** The wait before retrying after a provider failure (longer per consecutive failure); ends early at a stop. */
export function waitBeforeRetry(engine: Engine): Promise<void> {
  const delay = retryDelayMs(engine.providerFailures, backoffSettings(engine))
  return sleep(delay, undefined, { signal: engine.mission.stopController.signal }).catch(() => undefined)
}

function backoffSettings(engine: Engine) {
  const faults = engine.mission.config.faults
  return { baseSeconds: faults.backoffSeconds, pauseAfter: faults.pauseAfter }
}

/** The conversation's usage as the host keeps it, once its turn has ended; recorded. */
async function readUsage(engine: Engine, sessionId: string, directory: string, role: RoleName, taskId?: string, attempt?: number): Promise<SessionUsage | undefined> {
  const usage = await engine.host.usage(sessionId, directory)
  return usage && recordUsage(engine, sessionId, role, usage, taskId, attempt)
}

function recordUsage(engine: Engine, sessionId: string, role: RoleName, usage: SessionUsage, taskId?: string, attempt?: number): SessionUsage {
  engine.mission.record({ type: "usage-update", sessionId, role, taskId, attempt, tokens: usage.tokens, cost: usage.cost, requests: usage.requests })
  checkSpend(engine)
  return usage
}

/** Checks the spend caps: warns once at 80% (journal and toast); a reached cap sets the pause reason. Returns it. */
export function checkSpend(engine: Engine): string | undefined {
  const { mission, host } = engine
  const check = checkSpendCaps(mission.state, mission.config.budget)
  for (const warning of check.warnings) {
    mission.record({ type: "budget-warn", ...warning })
    host.toast(warningLine(warning), "warning")
  }
  if (check.reached) engine.pauseReason ??= check.reached
  return check.reached
}
