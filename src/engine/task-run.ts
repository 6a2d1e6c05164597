import type { Verdict } from "../mission/mission.js"
import type { TaskState } from "../mission/mission-state.js"
import { decideReview, nextStepAfterReject } from "../mission/review-policy.js"
import { retryMessage, reviewMessage, verdictReminder, workMessage, workReminder } from "./child-prompts.js"
import { askForSubmission, openChildSession, type Engine } from "./engine.js"

function taskOf(engine: Engine, taskId: string): TaskState {
  const task = engine.mission.state.tasks.find((item) => item.id === taskId)
  if (!task) throw new Error(`unknown task ${taskId}`)
  return task
}

/**
 * One task to its end: work → verify → review, repeated with the findings in the same worker
 * session, at most `maxReviewRounds` attempts. Ends approved or failed (or at a stop).
 */
export async function runTask(engine: Engine, taskId: string): Promise<void> {
  const { mission } = engine
  const workspace = mission.workspace
  const maxRounds = mission.config.maxReviewRounds
  const directory = workspace.taskDirectory(taskId)
  const worker = await openChildSession(engine, "worker", `Task ${taskId}: ${taskOf(engine, taskId).title}`, directory, taskId)
  if (!worker.ok) return mission.record({ type: "task-fail", taskId, reason: worker.error })

  for (let attempt = taskOf(engine, taskId).attempts + 1; attempt <= maxRounds; attempt++) {
    if (mission.stopped) return
    mission.record({ type: "task-start", taskId, attempt, sessionId: worker.value })
    const task = taskOf(engine, taskId)
    const work = await askForSubmission<string>(engine, {
      sessionId: worker.value,
      directory,
      role: "worker",
      kind: "work",
      taskId,
      attempt,
      text: attempt === 1 ? workMessage(task, attempt, mission.state.verifyCommands) : retryMessage(task, attempt),
      reminder: workReminder(task, attempt),
    })
    if (mission.stopped) return
    if (!work.submitted) {
      mission.record({ type: "work-missing", taskId, attempt, reason: work.reason })
      if (attempt === maxRounds) mission.record({ type: "task-fail", taskId, reason: `no work submitted in ${attempt} attempts: ${work.reason}` })
      continue
    }

    const evidence = await engine.verify(directory)
    mission.record({ type: "verify-end", taskId, attempt, evidence })
    const review = await reviewTask(engine, taskId, attempt, work.value)
    if (mission.stopped) return
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
    if (decision.verdict === "approve") return mission.record({ type: "task-approve", taskId, attempt })
    if (nextStepAfterReject(attempt, maxRounds) === "fail") {
      const first = decision.findings[0]?.message.split("\n")[0] ?? "rejected"
      return mission.record({ type: "task-fail", taskId, reason: `rejected in all ${maxRounds} review rounds; last finding: ${first}` })
    }
  }
}

async function reviewTask(engine: Engine, taskId: string, attempt: number, summary: string) {
  const task = taskOf(engine, taskId)
  const directory = engine.mission.workspace.taskDirectory(taskId)
  const session = await openChildSession(engine, "reviewer", `Review ${taskId} · attempt ${attempt}`, directory, taskId)
  if (!session.ok) return { submitted: false as const, reason: session.error, sessionId: "" }
  const diff = await engine.mission.workspace.diff([...task.files, ...task.touchedFiles])
  const outcome = await askForSubmission<Verdict>(engine, {
    sessionId: session.value,
    directory,
    role: "reviewer",
    kind: "review",
    taskId,
    attempt,
    text: reviewMessage(task, attempt, summary, diff, task.evidence),
    reminder: verdictReminder("review"),
  })
  return { ...outcome, sessionId: session.value }
}
