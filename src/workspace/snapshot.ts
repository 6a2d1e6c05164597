import { git, gitValue, withTemporaryIndex, type Outcome } from "./git.js"

/** Files the host writes into a `.opencode/` folder (its own npm install): never part of a mission's base. */
export const hostOwnedPaths = [".opencode/node_modules", ".opencode/package.json", ".opencode/package-lock.json", ".opencode/bun.lock", ".opencode/.gitignore"]

/**
 * Pathspecs that keep these paths out of a `git add -A`. Paths git already ignores are left out:
 * naming an ignored path, even to exclude it, makes `git add` fail.
 */
export async function excludePathspecs(directory: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return []
  const ignored = await git(["check-ignore", "--no-index", "--", ...paths], directory)
  const skip = new Set(ignored.stdout.split("\n").filter(Boolean))
  // Relative to `directory` (a project in a subfolder of its repository names its own paths).
  return paths.filter((file) => !skip.has(file)).map((file) => `:(exclude,literal)${file}`)
}

/**
 * The tree of a checkout as it is on disk now: tracked edits and untracked, unignored files.
 * Built in a temporary index, so the user's own index and files are never read for writing.
 */
export function diskTree(root: string, head: string): Promise<Outcome<string>> {
  return withTemporaryIndex(async (env) => {
    const read = await gitValue(["read-tree", head], root, env)
    if (!read.ok) return read
    const add = await gitValue(["add", "-A", "--", ":(top)", ...(await excludePathspecs(root, hostOwnedPaths))], root, env)
    if (!add.ok) return add
    return gitValue(["write-tree"], root, env)
  })
}

/** A commit of the checkout's uncommitted changes on top of `head`; undefined when there are none. */
export async function snapshotCommit(root: string, head: string, identity: string[]): Promise<Outcome<string | undefined>> {
  const tree = await diskTree(root, head)
  if (!tree.ok) return tree
  const headTree = await gitValue(["rev-parse", `${head}^{tree}`], root)
  if (!headTree.ok) return headTree
  if (headTree.value === tree.value) return { ok: true, value: undefined }
  const message = "orchestrator: your uncommitted changes at the mission's start"
  return gitValue([...identity, "commit-tree", tree.value, "-p", head, "-m", message], root)
}
