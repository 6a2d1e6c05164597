import path from "node:path"
import { tool } from "./define-tool.js"
import { checkedTool } from "./checked-tool.js"
import { endSummary } from "../mission/end-summary.js"
import { stopReasons } from "../mission/mission-event.js"
import type { MissionState } from "../mission/mission-state.js"
import type { MissionRegistry } from "../mission/mission-registry.js"
import { progressLine, renderTodo } from "../mission/todo-render.js"
import { missionOutcome, outcomeExitCodes, outcomeLine } from "../mission/mission-outcome.js"
import { missionSummary, type StartedMission } from "../engine/start-mission.js"

const z = tool.schema

export interface CommanderToolDeps {
  registry: MissionRegistry
  /** Starts a mission for a root session (the same path `/task` takes). */
  start(rootSessionId: string, goal: string): Promise<StartedMission>
  /** The engine's promise for a mission started by `/task`, by mission id. */
  finished(missionId: string): Promise<MissionState> | undefined
  /** Called when a mission could not start, or a followed one ends without a seal (in the TUI). */
  onUnsealed(rootSessionId: string, message: string): void
  /**
   * Set in a headless `opencode run`: a followed mission's outcome becomes the process's exit code
   * (a failed turn would force the host's own 1), and the run ends with the outcome line.
   */
  setExitCode?: (code: number) => void
  /** Remembers that the session's mission ended in this turn, and asks whether it did. */
  endedThisTurn: { add(rootSessionId: string): void; has(rootSessionId: string): boolean }
}

export function runMissionTool(deps: CommanderToolDeps) {
  return checkedTool("run_mission", {
    description: "Run a mission to its end (plan, parallel work, verified reviews) and return its report. Attaches to the mission /task started.",
    args: { goal: z.string().describe("the mission, in one or two sentences") },
    async execute(args, context) {
      const current = deps.registry.forRoot(context.sessionID)
      let mission = current
      let finished = current ? deps.finished(current.id) : undefined
      const canAttach = current && finished && !current.attached
      if (!canAttach) {
        // The model's closing words may not start the next mission: that is the user's call.
        if (deps.endedThisTurn.has(context.sessionID)) throw new Error("The mission has ended. Report its result to the user; do not start another.")
        try {
          const started = await deps.start(context.sessionID, args.goal)
          mission = started.mission
          finished = started.finished
        } catch (error) {
          // Not started is not sealed: the turn ends with the reason, the model sees it too.
          deps.onUnsealed(context.sessionID, error instanceof Error ? error.message : String(error))
          throw error
        }
      }
      mission!.attached = true
      let shown = ""
      const show = (state: MissionState) => {
        const title = progressLine(state)
        if (title !== shown) context.metadata({ title, metadata: { missionId: state.missionId, todo: mission!.todoFile } })
        shown = title
      }
      show(mission!.state)
      const unsubscribe = mission!.onChange(show)
      const onAbort = () => mission!.stop(stopReasons.userAbort)
      context.abort.addEventListener("abort", onAbort, { once: true })
      try {
        const state = await finished!
        const summary = missionSummary(state, mission!.reportFile)
        const outcome = missionOutcome(state)
        deps.endedThisTurn.add(context.sessionID)
        if (deps.setExitCode && outcome) deps.setExitCode(outcomeExitCodes[outcome])
        // An aborted call has ended its turn already (the user pressed Esc): nothing to fail then.
        else if (state.status !== "sealed" && !context.abort.aborted) deps.onUnsealed(context.sessionID, `Mission ${state.status}: ${endSummary(state)}`)
        // `opencode run` prints the title: what landed or where it is kept, and the report's place.
        const report = path.relative(state.directory, mission!.reportFile)
        return { title: `${outcomeLine(state)} Report: ${report}`, output: summary, metadata: { missionId: state.missionId, status: state.status, outcome } }
      } finally {
        unsubscribe()
        context.abort.removeEventListener("abort", onAbort)
      }
    },
  })
}

export function missionStatusTool(registry: MissionRegistry) {
  return checkedTool("mission_status", {
    description: "Show the current mission's TODO list and progress.",
    args: {},
    async execute(_args, context) {
      const mission = registry.forRoot(context.sessionID)
      return mission ? renderTodo(mission.state) : "No mission in this session."
    },
  })
}

export function missionStopTool(registry: MissionRegistry) {
  return checkedTool("mission_stop", {
    description: "Stop the running mission and its workers.",
    args: {},
    async execute(_args, context) {
      const mission = registry.forRoot(context.sessionID)
      if (!mission || mission.state.status !== "running") return "No running mission in this session."
      mission.stop(stopReasons.missionStop)
      return `Stopping mission ${mission.id}; its report will be at ${mission.reportFile}.`
    },
  })
}
