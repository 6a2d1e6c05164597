import type { Evidence, Finding, MergeOutcome } from "../mission/mission-event.js"
import { evidencePassed } from "../mission/review-policy.js"
import { describeEvidence } from "../verify/verify-run.js"
import type { Engine } from "./engine.js"

/** The line a task's merge commit carries, so a resume can tell whether an interrupted merge was made. */
export function mergeMarker(missionId: string, taskId: string, attempt: number): string {
  return `Mission ${missionId}, task ${taskId}, attempt ${attempt}.`
}

const freshTree = "Your worktree now holds the mission's new head, without your change. Redo your change on top of it (keep what is there), then call submit_work."

/** An approved task waiting for the train. `again`: sent back into the queue by a bisection, its merge-start recorded already. */
interface Waiting {
  taskId: string
  attempt: number
  again?: boolean
  done: (merged: boolean) => void
  failed: (error: unknown) => void
}

/** The approved tasks waiting to be merged, and the train's run while there is one. One per mission. */
export interface MergeQueue {
  waiting: Waiting[]
  running?: Promise<void>
  batches: number
}

export function mergeQueue(): MergeQueue {
  return { waiting: [], batches: 0 }
}

/**
 * Brings an approved task into the mission branch through the train; true once it is merged and
 * verified. A conflict or a failing verification leaves the mission branch without it and gives
 * false; the task's findings say why, for its next attempt.
 */
export function integrateTask(engine: Engine, taskId: string, attempt: number): Promise<boolean> {
  const queue = engine.mergeQueue
  return new Promise((done, failed) => {
    queue.waiting.push({ taskId, attempt, done, failed })
    queue.running ??= drain(engine).finally(() => (queue.running = undefined))
  })
}

/** Batches until the queue is empty: everything waiting when a batch starts goes in it, at most `concurrency` tasks. */
async function drain(engine: Engine): Promise<void> {
  const queue = engine.mergeQueue
  while (queue.waiting.length) {
    const batch = queue.waiting.splice(0, Math.max(1, engine.mission.config.concurrency))
    try {
      await runBatch(engine, batch, ++queue.batches)
    } catch (error) {
      // The journal failed (the mission halts): nobody waits for an answer that cannot be recorded.
      for (const item of [...batch, ...queue.waiting.splice(0)]) item.failed(error)
    }
  }
}

interface Made {
  item: Waiting
  started: number
  /** The mission head after this merge (its commit, or the head before when it changed nothing). */
  head: string
  commit?: string
  /** The tree of `commit`. */
  tree?: string
  files: string[]
  ownChange: string
}

/**
 * One batch, as merge queues do: squash-merge each task onto the mission head in turn, verify the
 * tip once. When that fails, bisect over the batch's prefixes to find the first failing merge:
 * the tasks before it stay merged, it goes back to its worker, the ones after it go back into the
 * queue, to be merged again without it. A conflict sends only that task back.
 */
async function runBatch(engine: Engine, batch: Waiting[], id: number): Promise<void> {
  const { mission } = engine
  const { workspace } = mission
  const start = await workspace.missionHead()
  const end = (item: Waiting, started: number, outcome: MergeOutcome, rest: { commit?: string; files?: string[]; findings?: Finding[]; evidence?: Evidence[]; verified?: string; batch?: { id: number; tasks: number; verifyRuns: number }; evidenceOf?: string }) =>
    mission.record({ type: "merge-end", taskId: item.taskId, attempt: item.attempt, outcome, files: rest.files ?? [], findings: rest.findings ?? [], evidence: rest.evidence ?? [], durationMs: Date.now() - started, ...(rest.commit ? { commit: rest.commit } : {}), ...(rest.verified ? { verified: rest.verified } : {}), ...(rest.batch ? { batch: rest.batch } : {}), ...(rest.evidenceOf ? { evidenceOf: rest.evidenceOf } : {}) })

  const made: Made[] = []
  for (const item of batch) {
    // Stopped: nothing more is merged; the task is not approved.
    if (mission.stopped) {
      item.done(false)
      continue
    }
    const started = Date.now()
    if (!item.again) mission.record({ type: "merge-start", taskId: item.taskId, attempt: item.attempt })
    const task = mission.state.tasks.find((candidate) => candidate.id === item.taskId)!
    const ownChange = await workspace.taskDiff(item.taskId, [], 4000)
    const merge = await workspace.integrate(item.taskId, `${item.taskId}: ${task.title}\n\n${mergeMarker(mission.id, item.taskId, item.attempt)}`)
    if (merge.status === "error") {
      end(item, started, "error", { findings: [{ message: `Merging your approved change failed: ${merge.error}\n${freshTree}` }] })
      item.done(false)
      continue
    }
    if (merge.status === "conflict") {
      const message = [
        `Your approved change conflicts with work merged into the mission branch meanwhile (${merge.files.join(", ")}).`,
        freshTree,
        `Conflicts as git shows them:\n${merge.detail}`,
        `Your previous change:\n${ownChange}`,
      ].join("\n\n")
      end(item, started, "conflict", { files: merge.files, findings: [{ message }] })
      item.done(false)
      continue
    }
    made.push({ item, started, head: merge.commit ?? merge.before, commit: merge.commit, tree: merge.tree, files: merge.files, ownChange })
  }
  if (!made.length || !start) return

  let verifyRuns = 0
  const verifyAt = async (index: number): Promise<Evidence[]> => {
    if (!made.slice(0, index + 1).some((entry) => entry.commit)) return []
    if (index < made.length - 1 || (await workspace.missionHead()) !== made[index]!.head) await workspace.undoIntegrate(made[index]!.head)
    verifyRuns++
    return engine.verify(workspace.missionDirectory)
  }
  const passed = (evidence: Evidence[]) => evidence.every((item) => evidencePassed(item))
  const merged = (entries: Made[], evidence: Evidence[], verified: string, evidenceOf?: string) => {
    for (const entry of entries) {
      end(entry.item, entry.started, "merged", { commit: entry.commit, files: entry.files, evidence, verified, batch: { id, tasks: made.length, verifyRuns }, evidenceOf })
      entry.item.done(true)
    }
  }
  const tip = made[made.length - 1]!
  const verifiedBefore = tip.tree ? verifiedTree(engine, made, tip.tree) : undefined
  if (verifiedBefore) return merged(made, verifiedBefore.evidence, tip.head, verifiedBefore.taskId)

  let failing = await verifyAt(made.length - 1)
  if (passed(failing)) return merged(made, failing, tip.head)
  // The head before the batch passed; the tip fails. The first failing prefix names the culprit.
  let [good, bad] = [-1, made.length - 1]
  let goodEvidence: Evidence[] = []
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2)
    const evidence = await verifyAt(middle)
    if (passed(evidence)) [good, goodEvidence] = [middle, evidence]
    else [bad, failing] = [middle, evidence]
  }
  await workspace.undoIntegrate(good >= 0 ? made[good]!.head : start)
  merged(made.slice(0, good + 1), goodEvidence, good >= 0 ? made[good]!.head : start)
  const culprit = made[bad]!
  const message = [
    "After merging your approved change, verification failed on the mission branch:",
    failing.filter((item) => !evidencePassed(item)).map((item) => describeEvidence(item)).join("\n\n"),
    freshTree,
    `Your previous change:\n${culprit.ownChange}`,
  ].join("\n\n")
  end(culprit.item, culprit.started, "verify-fail", { files: culprit.files, evidence: failing, findings: [{ message }], batch: { id, tasks: made.length, verifyRuns } })
  culprit.item.done(false)
  // Merged on top of the culprit: merged again, without it, first in the queue.
  engine.mergeQueue.waiting.unshift(...made.slice(bad + 1).map((entry) => ({ ...entry.item, again: true })))
}

/**
 * A batch's tip whose tree is the very tree one of its tasks was verified on, in its own worktree
 * (a task built on the head it merges onto, alone in its batch): the same files under the same
 * commands, so that task's passing run is the evidence and verification is not run again. Only
 * while the commands are the ones it ran; a tree read before a resume is not known.
 */
function verifiedTree(engine: Engine, made: Made[], tree: string): { taskId: string; evidence: Evidence[] } | undefined {
  const { mission } = engine
  const commands = mission.state.verifyCommands
  for (const entry of made) {
    if (mission.workspace.taskTree(entry.item.taskId) !== tree) continue
    const own = mission.state.tasks.find((task) => task.id === entry.item.taskId)?.evidence ?? []
    const evidence = commands.map((command) => own.find((item) => item.command === command))
    if (evidence.every((item): item is Evidence => item !== undefined && evidencePassed(item))) return { taskId: entry.item.taskId, evidence }
  }
  return undefined
}
