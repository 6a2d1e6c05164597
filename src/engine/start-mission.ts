import { loadConfig } from "../config/config.js"
import type { MissionHost } from "../host/mission-host.js"
import { eventLine } from "../mission/event-line.js"
import type { MissionEvent } from "../mission/mission-event.js"
import { Mission, newMissionId } from "../mission/mission.js"
import type { MissionRegistry } from "../mission/mission-registry.js"
import type { MissionState } from "../mission/mission-state.js"
import { detectVerifyCommands } from "../project/project-scan.js"
import { openWorkspace } from "../workspace/open-workspace.js"
import { acquireMissionLock, type MissionLock } from "../store/mission-lock.js"
import type { LimitFunction } from "p-limit"
import type { ModelSlots } from "../concurrency/model-slots.js"
import { createEngine } from "./engine.js"
import { outcomeLine } from "../mission/mission-outcome.js"
import { isolationWarning } from "../mission/todo-render.js"
import { spentSoFar } from "../economy/spend.js"
import { runMission } from "./run-mission.js"
import { openSandbox, type CommandSandbox } from "../sandbox/command-sandbox.js"
import { probeSandbox } from "../sandbox/sandbox-probe.js"
import type { OrchestratorConfig } from "../config/config.js"

/** Why a mission did not start. Its message is shown to the user as is. */
export class MissionStartError extends Error {
  readonly name = "MissionStartError"
}

export const maxGoalLength = 4000

const milestoneToasts: Partial<Record<MissionEvent["type"], "info" | "success" | "warning" | "error">> = {
  "plan-accept": "info",
  "task-approve": "success",
  "task-fail": "error",
  "workspace-close": "info",
  "master-review-end": "info",
  "tasks-add": "warning",
}

export interface StartRequest {
  registry: MissionRegistry
  host: MissionHost
  directory: string
  rootSessionId: string
  goal: string
  /**
   * Post the mission's end (what landed, what failed, the report) into the root session once it
   * rests: the code's words, whatever the commander said. Off in `opencode run`, which prints the
   * outcome line and exits with the turn.
   */
  announceEnd?: boolean
  /** Each milestone as a line, as it happens: `opencode run` prints nothing else until the end. */
  onProgress?: (line: string) => void
  /** The process's verification limit, shared by its missions (engine.ts); unset: the mission's own. */
  machineVerify?: LimitFunction
  /** The process's adaptive slots per provider/model (concurrency/model-slots.ts). */
  modelSlots?: ModelSlots
}

export interface StartedMission {
  mission: Mission
  finished: Promise<MissionState>
}

/**
 * The mission text as the user meant it: `opencode run` hands a quoted argument over with its
 * quotes (`"   "`), so surrounding quotes are taken off. Blank unless it has a letter or a digit.
 */
export function missionGoal(text: string): string {
  let goal = text.trim()
  while (goal.length >= 2 && /^(["'`]).*\1$/s.test(goal)) goal = goal.slice(1, -1).trim()
  return /[\p{L}\p{N}]/u.test(goal) ? goal : ""
}

/**
 * Validates everything a mission needs before anything is written (goal, config, verification
 * commands), then starts its engine. Throws ConfigError or MissionStartError; starts nothing then.
 */
export async function startMission(request: StartRequest): Promise<StartedMission> {
  const goal = missionGoal(request.goal)
  if (!goal) throw new MissionStartError("No mission given. Usage: /task <what to build>, e.g. /task add a sum function with tests")
  if (goal.length > maxGoalLength) throw new MissionStartError(`The mission text is longer than ${maxGoalLength} characters.`)
  const running = request.registry.forRoot(request.rootSessionId)
  if (running?.state.status === "running")
    throw new MissionStartError("A mission is still running in this session. Use mission_status, or mission_stop to stop it.")

  const config = loadConfig(request.directory)
  const verifyCommands = config.verify ?? detectVerifyCommands(request.directory)
  if (config.verify === undefined && verifyCommands.length === 0)
    throw new MissionStartError(
      'No verification command found (no test script detected). Add "verify": ["<your test command>"] to .opencode/orchestrator.json, or "verify": [] to run without verification.',
    )

  const missionId = newMissionId()
  const sandbox = missionSandbox(config, missionId)
  // A start that fails leaves no sandbox behind (its temp dirs, its network gate).
  const fail = (message: string) => {
    sandbox.close()
    return new MissionStartError(message)
  }
  await sandbox.open()
  const workspace = await openWorkspace(request.directory, missionId, config, undefined, setupWrap(sandbox))
  // Without the id: the host retries a failed turn whose text carries digits like a status code.
  if (!workspace.ok) throw fail(`The mission's worktree could not be set up: ${workspace.error.replaceAll(missionId, "<mission>")}`)
  const mission = new Mission(
    missionId,
    { type: "mission-start", missionId, goal, rootSessionId: request.rootSessionId, directory: request.directory, verifyCommands, memoryAlpha: config.context.alpha },
    config,
    workspace.value,
    sandbox,
  )
  mission.record({ type: "workspace-open", ...workspace.value.opening })
  mission.record({ type: "sandbox-open", ...sandbox.opening })
  const lock = acquireMissionLock(mission.folder, { onLost: (reason) => mission.haltWith({ kind: "lock", reason }) })
  if (!lock.ok) throw fail(lock.error)
  request.host.toast(`Mission ${missionId} started`, "info")
  const warning = isolationWarning(mission.state)
  if (warning) request.host.toast(warning, "warning")
  return launchMission(mission, request, lock.value)
}

/** Setup commands (they install) run in the sandbox with the network kept. */
export function setupWrap(sandbox: CommandSandbox) {
  return (command: string, directory: string) => sandbox.wrapIn(directory, { network: true, userCheckout: false })(command)
}

/** The OS sandbox a new or resumed mission gets under the config; a MissionStartError when it is required and none can be had. */
export function missionSandbox(config: OrchestratorConfig, missionId: string): CommandSandbox {
  const opened = openSandbox(config.sandbox, probeSandbox, missionId, config.workerWeb, config.sandboxNetwork)
  if (!opened.ok) throw new MissionStartError(`${opened.error} Install bubblewrap, or set "sandbox": "auto" in .opencode/orchestrator.json to run with the command guard only.`)
  return opened.value
}

/** Registers a mission (new or resumed), shows its milestones, and runs its engine to the end. */
export function launchMission(mission: Mission, request: Pick<StartRequest, "registry" | "host" | "directory" | "announceEnd" | "onProgress" | "machineVerify" | "modelSlots">, lock: MissionLock): StartedMission {
  request.registry.add(mission)
  // The TUI shows a custom tool's arguments, not its live title: milestones go out as toasts too.
  mission.onChange((state, event) => {
    if (request.onProgress) {
      const line = eventLine(event)
      if (line) request.onProgress(line)
    }
    const variant = milestoneToasts[event.type]
    const line = variant && eventLine(event)
    // With the spend so far, once there is any: the TUI has no other live view of it.
    if (variant && line) request.host.toast(`${line}${spentSoFar(state)}`, variant)
  })
  if (mission.state.sandbox?.kind === "none") request.host.toast(`No OS sandbox: ${mission.state.sandbox.reason}. Workers' commands are checked by the command guard only.`, "warning")
  const engine = createEngine(mission, request.host, request.registry, request.machineVerify, request.modelSlots)
  mission.holdJournal(lock)
  const finished = runMission(engine)
    .finally(() => {
      mission.sandbox.close()
      mission.releaseJournal()
    })
    .then(async (state) => {
      // Not awaited: a commander that follows the mission holds the session busy until this promise resolves.
      if (request.announceEnd !== false) void request.host.post(state.rootSessionId, request.directory, missionSummary(state, mission.reportFile))
      return state
    })
  return { mission, finished }
}

export function missionSummary(state: MissionState, reportFile: string): string {
  const approved = state.tasks.filter((task) => task.status === "approved").length
  const lines = [
    outcomeLine(state),
    `Tasks approved: ${approved}/${state.tasks.length}.`,
    ...state.tasks.map((task) => `- ${task.id} ${task.title}: ${task.status}${task.failReason ? ` (${task.failReason})` : ""}`),
    `Report: ${reportFile}`,
  ]
  return lines.join("\n")
}
