import type { Evidence, Finding, PlannedTask } from "../mission/mission-event.js"
import type { Verdict } from "../mission/mission.js"
import { filePathProblem } from "../mission/plan-validation.js"
import { decideReview, type ReviewDecision } from "../mission/review-policy.js"
import { verdictMessage, verdictProviderRetryMessage, verdictReminder } from "./child-prompts.js"
import { askForSubmission, openChildSession, waitBeforeRetry, type AskOutcome, type Engine } from "./engine.js"
import { boundedDiffText, memorySection, structureSection } from "./child-context.js"

/** The barrier's second half: a master reviewer checks the whole change against the goal. */
export async function masterReview(engine: Engine, evidence: Evidence[]): Promise<ReviewDecision> {
  const { mission } = engine
  const round = mission.state.round
  // A warm slot at the mission's head (no task runs now), else the mission's tree.
  const directory = await mission.workspace.openReviewTree()
  const session = await openChildSession(engine, "master-reviewer", `Master review · round ${round}`, directory)
  const ask = (sessionId: string, text: string) => askForSubmission<Verdict>(engine, { sessionId, directory, role: "master-reviewer", kind: "verdict", text, reminder: verdictReminder("verdict") })
  let outcome: AskOutcome<Verdict> = session.ok ? await ask(session.value, await verdictText(engine, evidence)) : { submitted: false, reason: session.error }
  // A failing provider is no verdict: the same conversation goes on after a backoff, bounded, as the planner's does.
  for (let retry = 1; session.ok && !outcome.submitted && outcome.failure === "provider" && retry <= mission.config.faults.retriesPerTask; retry++) {
    if (mission.stopped || engine.pauseReason) break
    await waitBeforeRetry(engine)
    outcome = await ask(session.value, verdictProviderRetryMessage(retry))
  }
  // Pausing (the provider, a spend cap): nothing is decided; a resume reviews this round again.
  if (!outcome.submitted && (outcome.failure === "paused" || engine.pauseReason)) return { verdict: "reject", findings: [], overruled: false }
  const decision = decideReview(outcome.submitted ? outcome.value.verdict : "none", outcome.submitted ? outcome.value.findings : [], evidence)
  if (!mission.stopped)
    mission.record({
      type: "master-review-end",
      round,
      sessionId: session.ok ? session.value : "",
      modelVerdict: outcome.submitted ? outcome.value.verdict : "none",
      verdict: decision.verdict,
      overruled: decision.overruled,
      findings: decision.findings,
    })
  return decision
}

/** The verdict request: the goal, the tasks, the evidence, the mission's memory and the whole change, within the master's budget. */
async function verdictText(engine: Engine, evidence: Evidence[]): Promise<string> {
  const { state } = engine.mission
  const count = await engine.tokens
  const structure = await structureSection(engine, undefined)
  const withoutDiff = count(verdictMessage(state, "", evidence, "", structure))
  const memory = await memorySection(engine, { role: "master-reviewer", round: state.round, messageTokens: withoutDiff, skip: (item) => item.kind === "goal" })
  const diff = await boundedDiffText(engine, "master-reviewer", undefined, withoutDiff + memory.tokens)
  return verdictMessage(state, diff.text, evidence, memory.text, structure)
}

/** Each master finding becomes one task of the next round, added directly (no re-planning). */
export function tasksFromFindings(round: number, findings: Finding[]): PlannedTask[] {
  return findings.slice(0, 12).map((finding, index) => {
    const file = finding.file && !filePathProblem(finding.file) ? finding.file : undefined
    const firstLine = finding.message.split("\n")[0]!.trim()
    return {
      id: `R${round}-${index + 1}`,
      title: firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine || "Fix master review finding",
      description: finding.message,
      acceptance: ["the master review finding is resolved", "verification passes"],
      files: file ? [file] : [],
      dependsOn: [],
    }
  })
}
