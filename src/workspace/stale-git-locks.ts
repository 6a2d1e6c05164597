import { existsSync, rmSync } from "node:fs"
import path from "node:path"
import { gitValue } from "./git.js"

/**
 * The lock files a killed git leaves behind (`index.lock`, `HEAD.lock`, a branch's `.lock`), in a
 * worktree only this mission writes to. Resume holds the mission lock, so no other process of ours
 * is in it: a lock that is still there after `waitMs` (time for an orphaned git to finish) is stale,
 * and git would refuse every later step while it stays. Returns the locks it removed.
 */
export async function clearStaleGitLocks(worktree: string, branch: string, waitMs = 1000): Promise<string[]> {
  const dirs = await gitValue(["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"], worktree)
  if (!dirs.ok) return []
  const [gitDir = "", commonDir = ""] = dirs.value.split("\n")
  const candidates = [path.join(gitDir, "index.lock"), path.join(gitDir, "HEAD.lock"), path.join(commonDir, "refs", "heads", ...branch.split("/")) + ".lock"]
  const deadline = Date.now() + waitMs
  while (candidates.some((file) => existsSync(file)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  const stale = candidates.filter((file) => existsSync(file))
  for (const file of stale) rmSync(file, { force: true })
  return stale
}
