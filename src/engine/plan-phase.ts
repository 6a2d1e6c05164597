import type { PlannedTask } from "../mission/mission-event.js"
import { scanProject } from "../project/project-scan.js"
import { planMessage, planReminder } from "./child-prompts.js"
import { askForSubmission, openChildSession, type Engine } from "./engine.js"
import type { PhaseOutcome } from "./run-tasks.js"

/**
 * The planner proposes; code validates (inside submit_plan, so the planner sees each problem at
 * once and can fix it in the same conversation), at most `maxPlanAttempts` plans.
 */
export async function planMission(engine: Engine): Promise<PhaseOutcome> {
  const { mission } = engine
  const directory = mission.workspace.missionDirectory
  const session = await openChildSession(engine, "planner", "Plan", directory)
  if (!session.ok) return { ok: false, error: session.error }
  const scan = scanProject(directory)
  const outcome = await askForSubmission<PlannedTask[]>(engine, {
    sessionId: session.value,
    directory,
    role: "planner",
    kind: "plan",
    text: planMessage(mission.state.goal, scan, mission.state.verifyCommands),
    reminder: planReminder(),
  })
  if (outcome.submitted) return { ok: true }
  if (mission.state.planAttempts >= mission.config.maxPlanAttempts)
    return { ok: false, error: `no valid plan in ${mission.state.planAttempts} attempts: ${mission.state.planProblems.join("; ")}` }
  return { ok: false, error: `no plan: ${outcome.reason}` }
}
