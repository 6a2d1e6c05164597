import type { MissionStatus } from "../mission/mission-event.js"
import { inFlight, type MissionState } from "../mission/mission-state.js"
import type { Mission } from "../mission/mission.js"
import { missionOutcome, outcomeLine } from "../mission/mission-outcome.js"
import type { Engine } from "./engine.js"
import { masterReview, tasksFromFindings } from "./master-review.js"
import { planMission } from "./plan-phase.js"
import { runTasks } from "./run-tasks.js"
import { warmTrees, type TreeWarming } from "./warm-trees.js"

/**
 * One mission, top to bottom. Every decision here is code reading state and evidence; models
 * only fill the submissions. Every loop is bounded by configuration.
 */
export async function runMission(engine: Engine): Promise<MissionState> {
  const { mission } = engine
  const config = mission.config
  // A new mission's task trees: made alongside the planner, warmed from the start, or once the
  // planner's request is out when it has a new instance of its own (warm-trees.ts).
  let warming: TreeWarming | undefined
  try {
    // A resumed mission that has its plan goes on from its round.
    if (mission.state.tasks.length === 0) {
      warming = warmTrees(engine)
      const plan = await planMission(engine, warming.start)
      // The trees exist before any task starts; their warming goes on beside the first tasks (begun
      // here if the planner's request was not seen), or ends with the mission.
      if (plan.ok && !mission.stopped && !mission.halt) warming.start()
      else await warming.stop()
      await warming.made
      const interrupted = interruption(engine)
      if (interrupted) return interrupted
      if (!plan.ok) return endMission(engine, "failed", plan.error)
    }

    for (let round = mission.state.round; round <= config.maxMissionRounds; round++) {
      const work = await runTasks(engine)
      await warming?.stop()
      const interrupted = interruption(engine)
      if (interrupted) return interrupted
      if (!work.ok) return endMission(engine, "failed", work.error)

      // Barrier: every task is approved (and merged). The whole project is verified, then master-reviewed.
      const evidence = await missionEvidence(engine)
      mission.record({ type: "verify-end", round, evidence })
      const verdict = await masterReview(engine, evidence)
      const reviewInterrupted = interruption(engine)
      if (reviewInterrupted) return reviewInterrupted
      if (verdict.verdict === "approve") {
        const checked = evidence.length ? `${evidence.length} verification command(s) passed` : "verification turned off"
        return endMission(engine, "sealed", `every task approved, ${checked}, master review approved`)
      }
      if (round === config.maxMissionRounds) break
      mission.record({ type: "tasks-add", round: round + 1, tasks: tasksFromFindings(round + 1, verdict.findings) })
    }
    return endMission(engine, "failed", `the master review still rejected after ${config.maxMissionRounds} mission rounds`)
  } catch (error) {
    await warming?.stop()
    if (mission.halt) return haltMission(engine)
    return endMission(engine, "failed", `engine error: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Why the mission cannot go on, if it cannot: halted (journal or lock), stopped, or pausing for the provider. */
function interruption(engine: Engine): Promise<MissionState> | MissionState | undefined {
  if (engine.mission.halt) return haltMission(engine)
  if (engine.mission.stopped) return endMission(engine, "stopped", stopReason(engine))
  if (engine.pauseReason) return pauseMission(engine)
  return undefined
}

/**
 * This process may not write the journal any more. A storage failure pauses the mission (one
 * attempt to journal the pause; resumable once there is space); a lost lock leaves the mission to
 * its new owner, writing nothing. Worktrees stay either way.
 */
function haltMission(engine: Engine): MissionState {
  const { mission, host } = engine
  const halt = mission.halt!
  const state = mission.settleHalt()
  if (halt.kind === "storage") mission.writeReport()
  host.toast(halt.kind === "storage" ? `Mission paused: ${halt.reason}. Free some space, then /resume-mission` : `Mission left to another process: ${halt.reason}`, "error")
  return state
}

/** Verification of the mission's tree; the merge train's run is reused when it verified this very commit. */
async function missionEvidence(engine: Engine) {
  const { workspace, state } = engine.mission
  const head = await workspace.missionHead()
  if (head && state.verifiedHead?.commit === head) return state.verifiedHead.evidence
  return engine.verify(workspace.missionDirectory)
}

function stopReason(engine: Engine): string {
  const reason = engine.mission.stopController.signal.reason
  return reason instanceof Error ? reason.message : "stopped"
}

/** Pauses: the provider kept failing. Worktrees and branches stay for `/resume-mission`. */
function pauseMission(engine: Engine): MissionState {
  const { mission, host } = engine
  mission.record({ type: "mission-pause", reason: engine.pauseReason! })
  // A resume opens new sessions: these tallies are not asked again.
  host.forgetUsage(engine.sessions)
  mission.writeReport()
  host.toast(`Mission paused: ${engine.pauseReason}. /resume-mission to go on`, "warning")
  return mission.state
}

/** Ends the mission, then lands the result (when sealed) and cleans up the workspace. */
async function endMission(engine: Engine, status: Exclude<MissionStatus, "running" | "paused">, reason: string): Promise<MissionState> {
  const { mission, host } = engine
  // Tasks in flight at a stop are named as stopped, not left "working".
  if (status === "stopped")
    for (const task of mission.state.tasks)
      if (inFlight(task)) mission.record({ type: "task-stop", taskId: task.id, reason })
  // The decision first: a crash after it leaves only the cleanup for a resume to finish.
  mission.record({ type: "mission-end", status, reason })
  await closeConversations(engine)
  // The host's instances first: their file watchers stop before the trees go.
  await disposeInstances(engine)
  await closeWorkspace(mission)
  mission.writeReport()
  host.toast(outcomeLine(mission.state), missionOutcome(mission.state) === "landed" ? "success" : status === "sealed" ? "warning" : "error")
  return mission.state
}

/** How long the mission's end waits for child turns still closing after their submission (each is one step the plugin ends before any request). */
const closingTurnsMs = 30_000

/**
 * The child turns still closing end before their instances and trees go (any left then are
 * aborted), and their sessions' usage tallies are let go: every usage was recorded already.
 */
async function closeConversations(engine: Engine): Promise<void> {
  const { host } = engine
  for (const { sessionId, directory } of await engine.closingTurns.settle(closingTurnsMs)) await host.abort(sessionId, directory)
  host.forgetUsage(engine.sessions)
  engine.sessions.clear()
}

/**
 * The host keeps an instance per directory for as long as it runs (a file watcher, a file index,
 * the config and providers). Those of the mission's trees go with the mission: a TUI that runs
 * mission after mission would otherwise keep every one of them. The user's own directory stays.
 */
async function disposeInstances(engine: Engine): Promise<void> {
  const trees = [...engine.checkedDirectories].filter((directory) => directory !== engine.mission.workspace.root)
  for (const directory of trees) await engine.host.disposeInstance(directory)
  engine.checkedDirectories.clear()
}

export async function closeWorkspace(mission: Mission): Promise<void> {
  try {
    const closing = await mission.workspace.close(mission.state.status === "sealed")
    mission.record({ type: "workspace-close", ...closing })
  } catch (error) {
    mission.record({ type: "workspace-close", landing: "branch", detail: `cleanup failed: ${error instanceof Error ? error.message : String(error)}`, keptBranches: [], keptWorktrees: [] })
  }
}
