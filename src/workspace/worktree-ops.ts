import { realpathSync, rmSync } from "node:fs"
import path from "node:path"
import { gitSteps, gitValue, stepFailure, stepPassed, type Outcome } from "./git.js"

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

/** The folder of the repository's common git folder that holds every mission's worktrees. */
const worktreesFolderName = "orchestrator-worktrees"

/** Where a mission's worktrees live: inside the repository's common git folder, outside the user's tree. */
export async function missionWorktreesFolder(repo: string, missionId: string): Promise<Outcome<string>> {
  const commonDir = await gitValue(["rev-parse", "--path-format=absolute", "--git-common-dir"], repo)
  return commonDir.ok ? { ok: true, value: path.join(commonDir.value, worktreesFolderName, missionId) } : commonDir
}

/**
 * Whether a directory is in one of our missions' worktrees (the mission's or a task slot's, or a
 * folder of one): `<git folder>/orchestrator-worktrees/<mission>/<tree>`. Told by its path alone,
 * so also in a process that did not make it (a resumed mission's).
 */
export function inMissionWorktree(directory: string): boolean {
  const parts = path.resolve(directory).split(path.sep)
  const at = parts.lastIndexOf(worktreesFolderName)
  return at > 0 && parts.length > at + 2 && parts[at - 1]!.length > 0
}

/** Adds a worktree on a new branch at `commit`; refuses an existing branch or folder. */
export function addWorktree(repo: string, directory: string, branch: string, commit: string): Promise<Outcome<string>> {
  return gitValue(["worktree", "add", "-q", "-b", branch, directory, commit], repo)
}

/** Adds a worktree at `commit` with no branch: a pooled slot made before its first task. */
export function addDetachedWorktree(repo: string, directory: string, commit: string): Promise<Outcome<string>> {
  return gitValue(["worktree", "add", "-q", "--detach", directory, commit], repo)
}

/**
 * Checks what provisioning promised, in one git process: `directory` is the top of a worktree of
 * this repository (its git folder holds the directory: half-made ones have no `.git` and fail),
 * on `branch`, at `commit`.
 */
export async function verifyWorktree(directory: string, branch: string, commit: string): Promise<Outcome<void>> {
  const facts = await gitValue(worktreeFactsArguments, directory)
  return facts.ok ? checkWorktreeFacts(directory, branch, commit, facts.value) : { ok: false, error: `${directory} is not a git worktree: ${facts.error}` }
}

/** The one git command `verifyWorktree` asks: the tree's top, its common git folder, its head and the ref of its head. */
const worktreeFactsArguments = ["rev-parse", "--path-format=absolute", "--show-toplevel", "--git-common-dir", "HEAD", "--symbolic-full-name", "HEAD"]

function checkWorktreeFacts(directory: string, branch: string, commit: string, output: string): Outcome<void> {
  const [top = "", commonDir = "", head, ref] = output.trim().split("\n")
  if (real(top) !== real(directory) || !real(directory).startsWith(`${real(commonDir)}${path.sep}`)) return { ok: false, error: `git does not list the worktree ${directory}` }
  if (head !== commit) return { ok: false, error: `the worktree ${directory} is not at ${commit.slice(0, 12)}` }
  if (ref !== `refs/heads/${branch}`) return { ok: false, error: `the worktree ${directory} is not on ${branch}` }
  return { ok: true, value: undefined }
}

/** A task's tree put in place; `checked`: whether it is where it should be (`verifyWorktree`). */
export type Placement = Outcome<{ checked: Outcome<void> }>

/** Puts a worktree on a new `branch` (refused if it exists) at a clean `commit`, keeping the prepared paths, and checks it there: a pooled worktree taking its next task. */
export function switchWorktree(directory: string, branch: string, commit: string, prepared: Iterable<string> = []): Promise<Placement> {
  return placeAndCheck(directory, ["checkout", "-q", "-f", "-b", branch, commit], branch, commit, prepared)
}

/** Puts a worktree at a clean `commit` with no branch, keeping the prepared paths; fails unless HEAD is then that commit. */
export async function detachWorktree(directory: string, commit: string, prepared: Iterable<string> = []): Promise<Outcome<void>> {
  const [checkout, clean, head] = await gitSteps([{ args: ["checkout", "-q", "-f", "--detach", commit] }, { args: cleanArguments(prepared) }, { args: ["rev-parse", "HEAD"] }], directory)
  if (!stepPassed(checkout)) return stepFailure(checkout, "checkout")
  if (!stepPassed(clean)) return stepFailure(clean, "clean")
  if (!stepPassed(head) || head.stdout.trim() !== commit) return { ok: false, error: `the worktree ${directory} is not at ${commit.slice(0, 12)}` }
  return { ok: true, value: undefined }
}

/** `resetWorktree` for a task's tree that stays on its `branch`: a task's next attempt, in place. */
export function resetTaskWorktree(directory: string, branch: string, commit: string, prepared: Iterable<string> = []): Promise<Placement> {
  return placeAndCheck(directory, ["reset", "-q", "--hard", commit], branch, commit, prepared)
}

/** The move (a checkout or a reset), the clean and the check, in one process (`gitSteps`). */
async function placeAndCheck(directory: string, move: string[], branch: string, commit: string, prepared: Iterable<string>): Promise<Placement> {
  const [moved, clean, facts] = await gitSteps([{ args: move }, { args: cleanArguments(prepared) }, { args: worktreeFactsArguments, mayFail: true }], directory)
  if (!stepPassed(moved)) return stepFailure(moved, move[0]!)
  if (!stepPassed(clean)) return stepFailure(clean, "clean")
  const checked = stepPassed(facts) ? checkWorktreeFacts(directory, branch, commit, facts.stdout) : { ok: false as const, error: `${directory} is not a git worktree: ${stepFailure(facts, "rev-parse").error}` }
  return { ok: true, value: { checked } }
}

/** Puts an existing worktree back to a clean `commit` (its branch moves there), keeping the prepared paths. */
export async function resetWorktree(directory: string, commit: string, prepared: Iterable<string> = []): Promise<Outcome<void>> {
  const reset = await gitValue(["reset", "-q", "--hard", commit], directory)
  return reset.ok ? cleanWorktree(directory, prepared) : reset
}

/** Removes what git does not track (ignored files stay: installs, caches), except the prepared paths. */
async function cleanWorktree(directory: string, prepared: Iterable<string>): Promise<Outcome<void>> {
  const clean = await gitValue(cleanArguments(prepared), directory)
  return clean.ok ? { ok: true, value: undefined } : clean
}

function cleanArguments(prepared: Iterable<string>): string[] {
  return ["clean", "-fdq", ...[...prepared].flatMap((file) => ["-e", `/${file}`])]
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
