import type { Evidence, Finding } from "./mission-event.js"

export type ModelVerdict = "approve" | "reject" | "none"

export interface ReviewDecision {
  verdict: "approve" | "reject"
  /** The model said approve but the evidence failed. */
  overruled: boolean
  findings: Finding[]
}

export function evidencePassed(evidence: Evidence): boolean {
  return evidence.exitCode === 0 && !evidence.timedOut
}

/** How one command ended, in two words: "exit 0", "exit 1", "timed out". */
export function evidenceOutcome(evidence: Evidence): string {
  return evidence.timedOut ? "timed out" : `exit ${evidence.exitCode}`
}

/** A finding for a failed command, with the end of its output: what the worker needs to fix it. */
export function evidenceFinding(evidence: Evidence): Finding {
  const how = evidence.timedOut ? `timed out after ${Math.round(evidence.durationMs / 1000)} s` : `exited with code ${evidence.exitCode}`
  const tail = evidence.outputTail.trim().split("\n").slice(-15).join("\n")
  return { message: `verification \`${evidence.command}\` ${how}${tail ? `:\n${tail}` : ""}` }
}

/**
 * Code's decision on a review. Approval needs the model's approve AND every verification command
 * passing; a model approve over failing evidence is overruled, with the failures as findings.
 */
export function decideReview(modelVerdict: ModelVerdict, modelFindings: Finding[], evidence: Evidence[]): ReviewDecision {
  const failures = evidence.filter((item) => !evidencePassed(item)).map(evidenceFinding)
  if (modelVerdict === "none")
    return { verdict: "reject", overruled: false, findings: [{ message: "the reviewer returned no verdict" }, ...failures] }
  if (modelVerdict === "reject") return { verdict: "reject", overruled: false, findings: [...modelFindings, ...failures] }
  if (failures.length > 0) return { verdict: "reject", overruled: true, findings: [...failures, ...modelFindings] }
  return { verdict: "approve", overruled: false, findings: modelFindings }
}

/** After attempt `attempt` was rejected: try again, or fail the task. */
export function nextStepAfterReject(attempt: number, maxReviewRounds: number): "retry" | "fail" {
  return attempt < maxReviewRounds ? "retry" : "fail"
}
