import type { PlannedTask } from "../mission/mission-event.js"
import { scanProject } from "../project/project-scan.js"
import { appendSection, planMessage, planProviderRetryMessage, planReminder } from "./child-prompts.js"
import { askForSubmission, openChildSession, waitBeforeRetry, type Engine } from "./engine.js"
import type { PhaseOutcome } from "./run-tasks.js"
import { memorySection } from "./child-context.js"
import { repositoryMapBudget } from "../context/role-budgets.js"
import { mapFiles, renderRepositoryMap, repositoryFacts } from "../syntax/repository-map.js"
import type { RepositoryFacts } from "../mission/plan-validation.js"
import type { Workspace } from "../workspace/workspace.js"

/**
 * The planner proposes; code validates (inside submit_plan, so the planner sees each problem at
 * once and can fix it in the same conversation), at most `maxPlanAttempts` plans. A failing model
 * provider is not the planner's fault: the same conversation goes on after a backoff, at most
 * `faults.retriesPerTask` times, and the mission pauses once the failures reach `faults.pauseAfter`.
 * `onAsked`: told when the planner's first model request has gone out.
 */
export async function planMission(engine: Engine, onAsked?: () => void): Promise<PhaseOutcome> {
  const { mission } = engine
  const directory = plannerDirectory(mission.workspace)
  const session = await openChildSession(engine, "planner", "Plan", directory)
  if (!session.ok) return { ok: false, error: session.error }
  // What the plan is checked against is the mission's tree, whichever directory the planner reads.
  const scan = scanProject(mission.workspace.missionDirectory)
  const count = await engine.tokens
  const map = await planningMap(engine, mission.workspace.missionDirectory)
  const message = planMessage(mission.state.goal, scan, mission.state.verifyCommands, map.text)
  // The user's amendments made before the plan, and anything else the memory holds already.
  const memory = await memorySection(engine, { role: "planner", messageTokens: count(message), skip: (item) => item.kind === "goal" })
  let text = appendSection(message, memory.text)
  // Files and names a task says it changes are checked against the repository (plan-validation.ts).
  mission.planFacts = map.facts
  for (let retry = 1; ; retry++) {
    const outcome = await askForSubmission<PlannedTask[]>(engine, { sessionId: session.value, directory, role: "planner", kind: "plan", text, reminder: planReminder(), onFirstRequest: onAsked })
    if (outcome.submitted) return { ok: true }
    if (mission.state.planAttempts >= mission.config.maxPlanAttempts)
      return { ok: false, error: `no valid plan in ${mission.state.planAttempts} attempts: ${mission.state.planProblems.join("; ")}` }
    if (outcome.failure !== "provider" || mission.stopped) {
      const rejected = mission.state.planAttempts ? `; ${mission.state.planAttempts} plan(s) were rejected, the last for: ${mission.state.planProblems.join("; ")}` : ""
      return { ok: false, error: `no plan: ${outcome.reason}${rejected}` }
    }
    if (engine.pauseReason) return { ok: false, error: engine.pauseReason }
    if (retry > mission.config.faults.retriesPerTask) return { ok: false, error: `no plan: the model provider failed ${retry} times; last: ${outcome.reason}` }
    await waitBeforeRetry(engine)
    text = planProviderRetryMessage(retry)
  }
}

/**
 * Where the planner's session runs: the user's checkout when it held what the mission starts from
 * (no uncommitted change, or the changes the mission's base was made of). The host's instance there
 * is warm (the commander's session is in it), while a new tree's costs the host seconds of its
 * one thread before the planner's first request; the planner only reads. The mission's tree when
 * it leaves the checkout's uncommitted changes out.
 */
export function plannerDirectory(workspace: Pick<Workspace, "isolated" | "root" | "missionDirectory" | "opening">): string {
  return workspace.isolated && workspace.opening.uncommitted !== "not-included" ? workspace.root : workspace.missionDirectory
}

/** The planner's view of the code: the repository map within its budget, and what plan validation checks names against. */
async function planningMap(engine: Engine, directory: string): Promise<{ text: string; facts?: RepositoryFacts }> {
  try {
    const count = await engine.tokens
    const mapped = await mapFiles(directory)
    const map = renderRepositoryMap(mapped.files, repositoryMapBudget(engine.mission.config.context.budgets.planner), count)
    return { text: map.text, facts: repositoryFacts(directory, mapped) }
  } catch {
    return { text: "" } // the syntax engine could not load here: the plan goes on with the layout alone
  }
}
