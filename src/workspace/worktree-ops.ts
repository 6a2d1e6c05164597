import { realpathSync, rmSync } from "node:fs"
import path from "node:path"
import { gitValue, type Outcome } from "./git.js"

function real(directory: string): string {
  try {
    return realpathSync(directory)
  } catch {
    return directory
  }
}

/** The branch a mission's approved work is merged into. */
export function missionBranchName(missionId: string): string {
  return `orchestrator/${missionId}`
}

/** Where a mission's worktrees live: inside the repository's common git folder, outside the user's tree. */
export async function missionWorktreesFolder(repo: string, missionId: string): Promise<Outcome<string>> {
  const commonDir = await gitValue(["rev-parse", "--path-format=absolute", "--git-common-dir"], repo)
  return commonDir.ok ? { ok: true, value: path.join(commonDir.value, "orchestrator-worktrees", missionId) } : commonDir
}

/** Adds a worktree on a new branch at `commit`; refuses an existing branch or folder. */
export function addWorktree(repo: string, directory: string, branch: string, commit: string): Promise<Outcome<string>> {
  return gitValue(["worktree", "add", "-q", "-b", branch, directory, commit], repo)
}

/** Checks what provisioning promised: git lists the worktree, it is on its branch, at `commit`. */
export async function verifyWorktree(repo: string, directory: string, branch: string, commit: string): Promise<Outcome<void>> {
  const list = await gitValue(["worktree", "list", "--porcelain"], repo)
  if (!list.ok) return list
  const listed = list.value.split("\n").some((line) => line.startsWith("worktree ") && real(line.slice(9)) === real(directory))
  if (!listed) return { ok: false, error: `git does not list the worktree ${directory}` }
  const head = await gitValue(["rev-parse", "HEAD"], directory)
  if (!head.ok || head.value !== commit) return { ok: false, error: `the worktree ${directory} is not at ${commit.slice(0, 12)}` }
  const ref = await gitValue(["symbolic-ref", "-q", "HEAD"], directory)
  if (!ref.ok || ref.value !== `refs/heads/${branch}`) return { ok: false, error: `the worktree ${directory} is not on ${branch}` }
  return { ok: true, value: undefined }
}

/** Puts an existing worktree back to a clean `commit` (its branch moves there), keeping the prepared paths. */
export async function resetWorktree(directory: string, commit: string, prepared: Iterable<string> = []): Promise<Outcome<void>> {
  const reset = await gitValue(["reset", "-q", "--hard", commit], directory)
  if (!reset.ok) return reset
  const keep = [...prepared].flatMap((file) => ["-e", `/${file}`])
  const clean = await gitValue(["clean", "-fdq", ...keep], directory)
  return clean.ok ? { ok: true, value: undefined } : clean
}

/**
 * Removes a worktree (and `branch`, if named), also one a killed `git worktree add` left half made:
 * still locked "initializing", its folder without `.git`. git will neither remove nor prune that
 * one, and its branch counts as checked out, so the folder is deleted and the entry unlocked and pruned.
 */
export async function removeWorktree(repo: string, directory: string, branch?: string): Promise<void> {
  const removed = await gitValue(["worktree", "remove", "--force", "--force", directory], repo)
  if (!removed.ok) {
    rmSync(directory, { recursive: true, force: true })
    await gitValue(["worktree", "unlock", directory], repo)
    await gitValue(["worktree", "prune"], repo)
  }
  if (branch) await gitValue(["branch", "-D", "-q", branch], repo)
}

/** Removes a mission's worktrees folder and branch, if a start that never finished made them. */
export async function discardMissionBranch(repo: string, missionId: string): Promise<void> {
  const folder = await missionWorktreesFolder(repo, missionId)
  if (!folder.ok) return
  await removeWorktree(repo, path.join(folder.value, "mission"))
  rmSync(folder.value, { recursive: true, force: true })
  await gitValue(["worktree", "prune"], repo)
  await gitValue(["branch", "-D", "-q", missionBranchName(missionId)], repo)
}
