import type { Verdict } from "../mission/mission.js"
import type { TaskState } from "../mission/mission-state.js"
import { decideReview, nextStepAfterReject } from "../mission/review-policy.js"
import type { TaskTree } from "../workspace/workspace.js"
import { appendSection, attemptMessage, reviewMessage, verdictReminder, workReminder, type RetryCause } from "./child-prompts.js"
import { askForSubmission, openChildSession, waitBeforeRetry, type Engine } from "./engine.js"
import { integrateTask } from "./merge-train.js"
import { boundedDiffText, memorySection, readDiff, structureSection } from "./child-context.js"
import type { HostResult } from "../host/mission-host.js"
import { publicSymbols } from "../context/public-symbols.js"

function taskOf(engine: Engine, taskId: string): TaskState {
  const task = engine.mission.state.tasks.find((item) => item.id === taskId)
  if (!task) throw new Error(`unknown task ${taskId}`)
  return task
}

/** A fresh tree for the task on the mission's current head; a provisioning failure fails the task. */
async function provision(engine: Engine, taskId: string, attempt: number): Promise<TaskTree | undefined> {
  const { mission } = engine
  const tree = await mission.workspace.openTask(taskId)
  if (!tree.ok) {
    mission.record({ type: "task-fail", taskId, reason: tree.error })
    return undefined
  }
  const { directory, branch, base, createMs, prepareMs } = tree.value
  if (branch && base) mission.record({ type: "worktree-ready", taskId, attempt, directory, branch, base, createMs, prepareMs })
  // The compiler's errors before the worker changes anything: what the change is measured against.
  await engine.diagnostics.baseline(directory, diagnosticsBase(engine, taskId))
  return tree.value
}

/** What a task's compiler baseline is keyed by: the commit its tree starts from (a shared tree's is the mission's start). */
const diagnosticsBase = (engine: Engine, taskId: string) => engine.mission.workspace.diffBase(taskId) ?? "shared"

/**
 * One task to its end: work → commit → verify → review, repeated with the findings in the same
 * worker session, at most `maxReviewRounds` attempts. With worktrees an approved attempt is then
 * merged into the mission branch; a conflict or a failing merge sends it back, in a fresh tree on
 * the new head, as another attempt. Ends approved (and merged) or failed (or at a stop).
 */
export async function runTask(engine: Engine, taskId: string): Promise<void> {
  try {
    await runAttempts(engine, taskId)
  } finally {
    // However it ended, its tree goes back to the pool for the next task.
    await engine.mission.workspace.releaseTask(taskId, taskOf(engine, taskId).status === "approved")
  }
}

async function runAttempts(engine: Engine, taskId: string): Promise<void> {
  const { mission } = engine
  const { workspace } = mission
  const maxRounds = mission.config.maxReviewRounds
  const firstAttempt = taskOf(engine, taskId).attempts + 1
  const tree = await provision(engine, taskId, firstAttempt)
  if (!tree) return
  const directory = tree.directory
  const worker = await openChildSession(engine, "worker", `Task ${taskId}: ${taskOf(engine, taskId).title}`, directory, taskId)
  if (!worker.ok) return mission.record({ type: "task-fail", taskId, reason: worker.error })

  /** Why the next attempt's message is sent: the review's findings, a failed merge, or a provider failure. */
  let next: RetryCause = "findings"
  let providerRetries = 0
  /** A new session holds nothing: its first message is the whole task (also after a resume). */
  let sessionHoldsTask = false
  for (let attempt = firstAttempt; attempt <= maxRounds; attempt++) {
    if (mission.stopped) return
    // The same directory, reset to the new head: the worker's session stays bound to it.
    if (next === "merge" && !(await provision(engine, taskId, attempt))) return
    mission.record({ type: "task-start", taskId, attempt, sessionId: worker.value })
    const task = taskOf(engine, taskId)
    const work = await askForSubmission<string>(engine, {
      sessionId: worker.value,
      directory,
      role: "worker",
      kind: "work",
      taskId,
      attempt,
      text: await workerText(engine, task, attempt, attemptMessage(task, attempt, next, providerRetries, mission.state.verifyCommands, sessionHoldsTask), sessionHoldsTask),
      reminder: workReminder(task, attempt),
    })
    sessionHoldsTask = true
    if (mission.stopped) return
    next = "findings"
    if (!work.submitted) {
      // Pausing (a spend cap, the provider): nothing was asked; a resume starts this attempt again, uncounted.
      if (work.failure === "paused") return
      mission.record({ type: "work-missing", taskId, attempt, reason: work.reason })
      // The model provider failed, not the worker: the same attempt again after a wait, bounded; or the mission pauses.
      if (work.failure === "provider") {
        if (engine.pauseReason) return
        if (++providerRetries > mission.config.faults.retriesPerTask)
          return mission.record({ type: "task-fail", taskId, reason: `the model provider failed ${providerRetries} times on this task; last: ${work.reason}` })
        await waitBeforeRetry(engine)
        next = "provider"
        attempt--
        continue
      }
      if (attempt === maxRounds) mission.record({ type: "task-fail", taskId, reason: `no work submitted in ${attempt} attempts: ${work.reason}` })
      continue
    }
    if (workspace.isolated) {
      const commit = await workspace.commitTask(taskId, `${taskId}: ${task.title} (attempt ${attempt})`)
      if (!commit.ok) return mission.record({ type: "task-fail", taskId, reason: `committing the work failed: ${commit.error}` })
      mission.record({ type: "work-commit", taskId, attempt, commit: commit.value.commit, files: commit.value.files })
    }

    // With worktrees the change is committed: the review's session and reads are made while it is verified.
    const setup = workspace.isolated ? prepareReview(engine, taskId, attempt, directory) : undefined
    const evidence = await engine.verify(directory)
    const compiled = await engine.diagnostics.evidence(directory, diagnosticsBase(engine, taskId), taskOf(engine, taskId).touchedFiles)
    if (compiled) evidence.push(compiled)
    mission.record({ type: "verify-end", taskId, attempt, evidence })
    const review = await reviewTask(engine, taskId, attempt, work.value, directory, await (setup ?? prepareReview(engine, taskId, attempt, directory)))
    if (mission.stopped || (!review.submitted && engine.pauseReason)) return
    const decision = decideReview(review.submitted ? review.value.verdict : "none", review.submitted ? review.value.findings : [], evidence)
    mission.record({
      type: "review-end",
      taskId,
      attempt,
      sessionId: review.sessionId,
      modelVerdict: review.submitted ? review.value.verdict : "none",
      verdict: decision.verdict,
      overruled: decision.overruled,
      findings: decision.findings,
    })
    if (decision.verdict === "approve") {
      if (!workspace.isolated || (await integrateTask(engine, taskId, attempt))) {
        recordResult(engine, taskOf(engine, taskId), attempt, work.value, review.diff)
        return mission.record({ type: "task-approve", taskId, attempt })
      }
      if (attempt === maxRounds) {
        const first = taskOf(engine, taskId).findings[0]?.message.split("\n")[0] ?? "not merged"
        return mission.record({ type: "task-fail", taskId, reason: `approved, but not merged in ${maxRounds} attempts; last: ${first}` })
      }
      next = "merge"
      continue
    }
    if (nextStepAfterReject(attempt, maxRounds) === "fail") {
      const first = decision.findings[0]?.message.split("\n")[0] ?? "rejected"
      return mission.record({ type: "task-fail", taskId, reason: `rejected in all ${maxRounds} review rounds; last finding: ${first}` })
    }
  }
}

/** What a review needs before its message: its session, the change's structure, and its whole diff. */
interface ReviewSetup {
  session: HostResult<string>
  structure: string
  diff: string
}

/** Never rejects: a failure is the session's error. */
async function prepareReview(engine: Engine, taskId: string, attempt: number, directory: string): Promise<ReviewSetup> {
  const task = taskOf(engine, taskId)
  try {
    const [session, structure, diff] = await Promise.all([
      openChildSession(engine, "reviewer", `Review ${taskId} · attempt ${attempt}`, directory, taskId),
      structureSection(engine, task),
      readDiff(engine, task),
    ])
    return { session, structure, diff }
  } catch (error) {
    return { session: { ok: false, error: error instanceof Error ? error.message : String(error) }, structure: "", diff: "" }
  }
}

async function reviewTask(engine: Engine, taskId: string, attempt: number, summary: string, directory: string, setup: ReviewSetup) {
  const task = taskOf(engine, taskId)
  const { session, structure } = setup
  if (!session.ok) return { submitted: false as const, reason: session.error, sessionId: "", diff: "" }
  const count = await engine.tokens
  // The structure is counted with the rest of the message: the diff gets what the budget leaves.
  const withoutDiff = count(reviewMessage(task, attempt, summary, "", task.evidence, "", structure))
  const memory = await memorySection(engine, { role: "reviewer", task, attempt, messageTokens: withoutDiff })
  const diff = await boundedDiffText(engine, "reviewer", task, withoutDiff + memory.tokens, setup.diff)
  const outcome = await askForSubmission<Verdict>(engine, {
    sessionId: session.value,
    directory,
    role: "reviewer",
    kind: "review",
    taskId,
    attempt,
    text: reviewMessage(task, attempt, summary, diff.text, task.evidence, memory.text, structure),
    reminder: verdictReminder("review"),
  })
  return { ...outcome, sessionId: session.value, diff: diff.full }
}

/**
 * The attempt's message with the memory that concerns the task at its tail. Left out: the latest
 * findings (the message has them) and, for a session that holds the task, what it was shown before.
 */
async function workerText(engine: Engine, task: TaskState, attempt: number, message: string, sessionHoldsTask: boolean): Promise<string> {
  const count = await engine.tokens
  const latest = `finding:${task.id}:${attempt - 1}:`
  const shown = new Set(sessionHoldsTask ? task.memoryShown : [])
  const memory = await memorySection(engine, { role: "worker", task, attempt, messageTokens: count(message), skip: (item) => item.id.startsWith(latest) || shown.has(item.id) })
  return appendSection(message, memory.text)
}

/** What the approved task produced, for the tasks that build on it: summary, files, the public symbols its diff (the one reviewed) adds. */
function recordResult(engine: Engine, task: TaskState, attempt: number, summary: string, diff: string): void {
  engine.mission.record({ type: "task-result", taskId: task.id, attempt, summary, files: task.touchedFiles.length ? task.touchedFiles : task.files, symbols: publicSymbols(diff) })
}
