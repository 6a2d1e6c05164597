import type { Evidence, Finding, MergeOutcome } from "../mission/mission-event.js"
import { evidencePassed } from "../mission/review-policy.js"
import { describeEvidence } from "../verify/verify-run.js"
import type { Engine } from "./engine.js"

/** The line a task's merge commit carries, so a resume can tell whether an interrupted merge was made. */
export function mergeMarker(missionId: string, taskId: string, attempt: number): string {
  return `Mission ${missionId}, task ${taskId}, attempt ${attempt}.`
}

const freshTree = "Your worktree now holds the mission's new head, without your change. Redo your change on top of it (keep what is there), then call submit_work."

/**
 * Brings one approved task into the mission branch, one task at a time: squash-merge, then
 * verify the mission branch. A conflict or a failing verification leaves the mission branch as
 * it was and returns false; the task's findings say why, for its next attempt.
 */
export function integrateTask(engine: Engine, taskId: string, attempt: number): Promise<boolean> {
  const { mission } = engine
  const { workspace } = mission
  return engine.mergeTrain(async () => {
    const task = mission.state.tasks.find((item) => item.id === taskId)!
    mission.record({ type: "merge-start", taskId, attempt })
    const started = Date.now()
    const end = (outcome: MergeOutcome, rest: { commit?: string; files?: string[]; findings?: Finding[]; evidence?: Evidence[] }) =>
      mission.record({ type: "merge-end", taskId, attempt, outcome, files: rest.files ?? [], findings: rest.findings ?? [], evidence: rest.evidence ?? [], durationMs: Date.now() - started, ...(rest.commit ? { commit: rest.commit } : {}) })

    const ownChange = await workspace.taskDiff(taskId, [], 4000)
    const merge = await workspace.integrate(taskId, `${taskId}: ${task.title}\n\n${mergeMarker(mission.id, taskId, attempt)}`)
    if (merge.status === "error") {
      end("error", { findings: [{ message: `Merging your approved change failed: ${merge.error}\n${freshTree}` }] })
      return false
    }
    if (merge.status === "conflict") {
      const message = [
        `Your approved change conflicts with work merged into the mission branch meanwhile (${merge.files.join(", ")}).`,
        freshTree,
        `Conflicts as git shows them:\n${merge.detail}`,
        `Your previous change:\n${ownChange}`,
      ].join("\n\n")
      end("conflict", { files: merge.files, findings: [{ message }] })
      return false
    }
    const evidence = merge.commit ? await engine.verify(workspace.missionDirectory) : []
    const failed = evidence.filter((item) => !evidencePassed(item))
    if (failed.length) {
      await workspace.undoIntegrate(merge.before)
      const message = [
        "After merging your approved change, verification failed on the mission branch:",
        failed.map((item) => describeEvidence(item)).join("\n\n"),
        freshTree,
        `Your previous change:\n${ownChange}`,
      ].join("\n\n")
      end("verify-fail", { files: merge.files, evidence, findings: [{ message }] })
      return false
    }
    end("merged", { commit: merge.commit, files: merge.files, evidence })
    return true
  })
}
