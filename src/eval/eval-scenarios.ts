// What the scripted model says in an eval run, built from a mission's scripted plan and files:
// orchestrated (commander, planner, one worker per task, approving reviewers) or one plain `build`
// agent writing the same files. "wrong" writes the wrong files in place of the solving ones; the
// agents cannot tell (the visible tests pass either way), only the hidden tests can.
import type { Scenario, ScriptedReply, ScriptedRule } from "../scripted-model/scenario.js"
import { approveMission, approveReview, call, say, workerRule } from "../demo/sum-stats-scenario.js"
import { scriptedFiles, type EvalMission } from "./eval-mission.js"

export type ScriptedVariant = "solve" | "wrong"

/** The commander (or the single agent) asks first when the mission has a clarification; the answer unlocks the work. */
function clarified(mission: EvalMission, agent: string, work: ScriptedReply[]): ScriptedRule[] {
  const answer = mission.spec.clarification
  if (!answer) return [{ agent, replies: work }]
  return [
    { agent, when: answer, replies: work },
    { agent, replies: [say(mission.scripted.question!)] },
  ]
}

export function orchestratedScenario(mission: EvalMission, variant: ScriptedVariant): Scenario {
  const files = scriptedFiles(mission, variant)
  const goal = mission.spec.clarification ? `${mission.spec.goal} (${mission.spec.clarification})` : mission.spec.goal
  const workers = mission.scripted.tasks.map((task) =>
    workerRule(
      task.id,
      task.files.flatMap((file): Array<[string, string]> => (files.has(file) ? [[file, files.get(file)!]] : [])),
    ),
  )
  return {
    description: `eval ${mission.id}, orchestrated, ${variant}`,
    rules: [
      ...clarified(mission, "commander", [call("run_mission", { goal }), say("The mission ended; the report lists what was done.")]),
      { agent: "planner", replies: [call("submit_plan", { tasks: mission.scripted.tasks }), say("Plan submitted.")] },
      ...workers,
      approveReview,
      approveMission,
    ],
    fallback: { text: "Done." },
  }
}

/** One bare agent: every file written, the project's tests run once, done. */
export function singleAgentScenario(mission: EvalMission, variant: ScriptedVariant): Scenario {
  const writes = [...scriptedFiles(mission, variant)].map(([filePath, content]) => call("write", { filePath, content }))
  const work = [...writes, call("bash", { command: mission.spec.verify, description: "Run the tests" }), say("Done: the change is made and the tests pass.")]
  return { description: `eval ${mission.id}, one build agent, ${variant}`, rules: clarified(mission, "default", work), fallback: { text: "Done." } }
}
