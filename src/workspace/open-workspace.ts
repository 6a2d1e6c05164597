import { realpathSync } from "node:fs"
import path from "node:path"
import type { OrchestratorConfig } from "../config/config.js"
import { git, type Outcome } from "./git.js"
import { discardMissionBranch } from "./worktree-ops.js"
import { SharedWorkspace, type Workspace } from "./workspace.js"
import type { MissionState } from "../mission/mission-state.js"
import { WorktreeWorkspace, type WorktreeSettings } from "./worktree-workspace.js"
import type { CommandWrap } from "./prepare.js"

/**
 * Worktrees whenever they can work; the shared tree only for a stated reason (recorded in the
 * journal and the report), never as a silent fallback: a worktree that cannot be made fails.
 */
export async function openWorkspace(root: string, missionId: string, config: OrchestratorConfig, signal?: AbortSignal, wrap?: CommandWrap): Promise<Outcome<Workspace>> {
  const shared = async (reason: string): Promise<Outcome<Workspace>> => ({ ok: true, value: await SharedWorkspace.open(root, reason) })
  const settings = config.worktrees
  if (!settings.enabled) return shared('worktrees are turned off ("worktrees": { "enabled": false })')
  const top = await git(["rev-parse", "--show-toplevel"], root)
  if (!top.ok) return shared("the project is not a git repository")
  const head = await git(["rev-parse", "--verify", "-q", "HEAD"], root)
  if (!head.ok) return shared("the repository has no commit yet")
  // A project in a subfolder of its repository: worktrees of the whole repository, tasks work in the subfolder.
  const repoTop = realpathSync(top.stdout.trim())
  const subfolder = path.relative(repoTop, realpathSync(root)).split(path.sep).join("/")
  return WorktreeWorkspace.open(root, missionId, worktreeSettings(config, wrap), signal, subfolder, repoTop)
}

function worktreeSettings(config: OrchestratorConfig, wrap?: CommandWrap): WorktreeSettings {
  const settings = config.worktrees
  return {
    includeUncommitted: settings.includeUncommitted,
    land: settings.land,
    keep: settings.keep,
    preparation: { link: settings.link, copy: settings.copy, setup: settings.setup, setupTimeoutMs: config.verifyTimeoutSeconds * 1000, wrap },
  }
}

/**
 * The workspace a mission was started with, opened again for a resume (as its journal recorded
 * it). A mission that died before recording it gets a new one; whatever its start had made of a
 * mission branch is removed first (nothing can have been done on it yet).
 */
export async function reopenWorkspace(state: MissionState, config: OrchestratorConfig, wrap?: CommandWrap): Promise<Outcome<Workspace>> {
  const opening = state.workspace
  if (!opening) {
    await discardMissionBranch(state.directory, state.missionId)
    return openWorkspace(state.directory, state.missionId, config, undefined, wrap)
  }
  if (opening.mode === "shared") return { ok: true, value: SharedWorkspace.reopen(opening) }
  const failedBranches = state.tasks.filter((task) => task.status === "failed" && task.worktree).map((task) => task.worktree!.branch)
  return WorktreeWorkspace.reopen(state.directory, state.missionId, opening, failedBranches, worktreeSettings(config, wrap))
}
