import { existsSync } from "node:fs"
import path from "node:path"
import { loadConfig } from "../config/config.js"
import { loadJournal, unfinishedMissions } from "../store/mission-files.js"
import { acquireMissionLock } from "../store/mission-lock.js"
import { Mission, missionsFolder } from "../mission/mission.js"
import { inFlight, type MissionState } from "../mission/mission-state.js"
import { gitValue } from "../workspace/git.js"
import { reopenWorkspace } from "../workspace/open-workspace.js"
import { SharedWorkspace, type Workspace } from "../workspace/workspace.js"
import { mergeMarker } from "./merge-train.js"
import { closeWorkspace } from "./run-mission.js"
import type { CommandSandbox } from "../sandbox/command-sandbox.js"
import { launchMission, MissionStartError, missionSandbox, setupWrap, type StartedMission, type StartRequest } from "./start-mission.js"

export interface ResumeRequest extends Omit<StartRequest, "goal"> {
  /** A mission id; unset: the newest unfinished mission of the project. */
  missionId?: string
}

/** A mission resumed this often is refused: something keeps killing or pausing it. */
export const maxResumes = 10

const interrupted = "interrupted when its process ended; its next attempt starts fresh"

/**
 * Resumes a mission whose process ended before the mission did. Approved (merged) work stays
 * done; an interrupted merge that was made counts as made; every other task in flight starts
 * its next attempt in a fresh tree. Refused (nothing changes) while another process runs it.
 */
export async function resumeMission(request: ResumeRequest): Promise<StartedMission> {
  const missionId = request.missionId?.trim() || unfinishedMissions(request.directory)[0]
  if (!missionId) throw new MissionStartError("No unfinished mission in this project.")
  if (!/^m-[A-Za-z0-9-]+$/.test(missionId) || !existsSync(path.join(request.directory, missionsFolder, missionId, "journal.jsonl"))) {
    const resumable = unfinishedMissions(request.directory, 10)
    throw new MissionStartError(
      `There is no mission ${JSON.stringify(missionId.slice(0, 80))} in this project. ${resumable.length ? `Missions that can be resumed: ${resumable.join(", ")}.` : "No mission here can be resumed."}`,
    )
  }
  if (request.registry.get(missionId)?.state.status === "running") throw new MissionStartError(`Mission ${missionId} is already running in this process.`)
  const folder = path.join(request.directory, missionsFolder, missionId)
  // The lock first: reading repairs the journal's tail, which only its owner may do.
  let mission: Mission | undefined
  const lock = acquireMissionLock(folder, { onLost: (reason) => mission?.haltWith({ kind: "lock", reason }) })
  if (!lock.ok) throw new MissionStartError(`Mission ${missionId} cannot be resumed: ${lock.error}.`)
  let sandbox: CommandSandbox | undefined
  const refuse = (message: string) => {
    sandbox?.close()
    lock.value.release()
    return new MissionStartError(message)
  }
  let loaded
  try {
    loaded = loadJournal(folder)
  } catch (error) {
    throw refuse(`Mission ${missionId} cannot be resumed: ${error instanceof Error ? error.message : String(error)}`)
  }
  const resumable = loaded.state.status === "running" || loaded.state.status === "paused"
  const cleanupLeft = !resumable && !loaded.state.closing
  if (!resumable && !cleanupLeft) throw refuse(`Mission ${missionId} has ended (${loaded.state.status}); there is nothing to resume.`)
  if (loaded.state.resumes >= maxResumes) throw refuse(`Mission ${missionId} was resumed ${loaded.state.resumes} times already; start a new mission (its report says what was done).`)

  let config
  try {
    config = loadConfig(request.directory)
    sandbox = missionSandbox(config, missionId)
  } catch (error) {
    lock.value.release()
    throw error
  }
  await sandbox.open()
  const resumed = { type: "mission-resume" as const, rootSessionId: request.rootSessionId, pid: process.pid, warnings: [...loaded.warnings, lock.value.tookOver].filter((line): line is string => Boolean(line)) }
  const workspace = await reopenWorkspace(loaded.state, config, setupWrap(sandbox))
  if (!workspace.ok && cleanupLeft && (await branchGone(loaded.state))) {
    mission = new Mission(missionId, { loaded: loaded.state }, config, SharedWorkspace.reopen(loaded.state.workspace!))
    mission.record(resumed)
    await recordCleanupDone(mission)
    sandbox.close()
    lock.value.release()
    return { mission, finished: Promise.resolve(mission.state) }
  }
  if (!workspace.ok) throw refuse(`Mission ${missionId} cannot be resumed: ${workspace.error}`)
  mission = new Mission(missionId, { loaded: loaded.state }, config, workspace.value, sandbox)
  mission.record(resumed)
  if (!loaded.state.workspace) mission.record({ type: "workspace-open", ...workspace.value.opening })
  if (!cleanupLeft) mission.record({ type: "sandbox-open", ...sandbox.opening })
  if (cleanupLeft) {
    // It ended, but its process died before landing and cleanup: only those are left to do.
    request.registry.add(mission)
    const ending = mission
    const finished = closeWorkspace(ending)
      .then(() => ending.writeReport())
      .finally(() => {
        sandbox!.close()
        lock.value.release()
      })
      .then(() => ending.state)
    return { mission, finished }
  }
  await settleInterrupted(mission, workspace.value, loaded.state.status === "paused")
  request.host.toast(`Mission ${missionId} resumed`, "info")
  return launchMission(mission, request, lock.value)
}

/** Its cleanup had removed the mission branch (so it had landed, or held nothing) when the process died: only the record is missing. */
async function recordCleanupDone(mission: Mission): Promise<void> {
  const { directory, verifiedHead } = mission.state
  await gitValue(["worktree", "prune"], directory)
  const landed = verifiedHead && (await gitValue(["merge-base", "--is-ancestor", verifiedHead.commit, "HEAD"], directory)).ok
  const detail = "the mission branch had been landed and removed before the process ended"
  mission.record({ type: "workspace-close", landing: landed ? "fast-forward" : "nothing", detail, keptBranches: [], keptWorktrees: [] })
  mission.writeReport()
}

async function branchGone(state: MissionState): Promise<boolean> {
  const branch = state.workspace?.branch
  return Boolean(branch) && !(await gitValue(["rev-parse", "--verify", "-q", `refs/heads/${branch}`], state.directory)).ok
}

/**
 * Puts every task that was in flight back to a state the engine can go on from. After a crash
 * the interrupted attempt counts; after a pause (the provider's fault, not the worker's) it does not.
 */
async function settleInterrupted(mission: Mission, workspace: Workspace, paused: boolean): Promise<void> {
  for (const task of mission.state.tasks) {
    if (task.status === "merging") {
      const commit = await workspace.findMerge(mergeMarker(mission.id, task.id, task.attempts))
      if (commit) {
        // Made but not verified after the merge: the commit is left out so the barrier verifies again.
        mission.record({ type: "merge-end", taskId: task.id, attempt: task.attempts, outcome: "merged", files: [], findings: [{ message: `merge ${commit.slice(0, 12)} found after a restart` }], evidence: [], durationMs: 0 })
        mission.record({ type: "task-approve", taskId: task.id, attempt: task.attempts })
        continue
      }
    }
    if (!inFlight(task)) continue
    if (paused) mission.record({ type: "task-resume", taskId: task.id, reason: "paused for the model provider; it goes on", attemptCounted: false })
    else if (task.attempts >= mission.config.maxReviewRounds) mission.record({ type: "task-fail", taskId: task.id, reason: `${interrupted.split(";")[0]} in its last attempt` })
    else mission.record({ type: "task-resume", taskId: task.id, reason: interrupted, attemptCounted: true })
  }
}
