import type { Evidence, Finding, PlannedTask } from "../mission/mission-event.js"
import type { Verdict } from "../mission/mission.js"
import { filePathProblem } from "../mission/plan-validation.js"
import { decideReview, type ReviewDecision } from "../mission/review-policy.js"
import { verdictMessage, verdictReminder } from "./child-prompts.js"
import { askForSubmission, openChildSession, type Engine } from "./engine.js"
import { boundedDiffText, memorySection, structureSection } from "./child-context.js"

/** The barrier's second half: a master reviewer checks the whole change against the goal. */
export async function masterReview(engine: Engine, evidence: Evidence[]): Promise<ReviewDecision> {
  const { mission } = engine
  const round = mission.state.round
  const directory = mission.workspace.missionDirectory
  const session = await openChildSession(engine, "master-reviewer", `Master review · round ${round}`, directory)
  const outcome = session.ok
    ? await askForSubmission<Verdict>(engine, {
        sessionId: session.value,
        directory,
        role: "master-reviewer",
        kind: "verdict",
        text: await verdictText(engine, evidence),
        reminder: verdictReminder("verdict"),
      })
    : { submitted: false as const, reason: session.error }
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
