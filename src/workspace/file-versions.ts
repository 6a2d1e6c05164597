import { readFileSync } from "node:fs"
import path from "node:path"
import { git } from "./git.js"

/** One changed file's text on both sides; undefined where it does not exist. */
export interface FileVersions {
  file: string
  before?: string
  after?: string
}

async function show(directory: string, commit: string, file: string): Promise<string | undefined> {
  const result = await git(["show", `${commit}:${file}`], directory)
  return result.ok ? result.stdout : undefined
}

/**
 * The files changed in `directory` since `base`, with both versions: against `HEAD` when the
 * change is committed (a task's worktree, the mission branch), else against the working tree (a
 * shared tree), untracked files included. At most `maxFiles`, in path order.
 */
export async function changedFileVersions(directory: string, base: string, committed: boolean, maxFiles = 40): Promise<FileVersions[]> {
  const names = await git(["diff", "--name-only", "--no-renames", "--relative", base, ...(committed ? ["HEAD"] : [])], directory)
  if (!names.ok) return []
  const files = new Set(names.stdout.split("\n").filter(Boolean))
  if (!committed) {
    const untracked = await git(["ls-files", "--others", "--exclude-standard"], directory)
    for (const file of untracked.stdout.split("\n").filter(Boolean)) files.add(file)
  }
  const versions: FileVersions[] = []
  for (const file of [...files].sort().slice(0, maxFiles)) {
    const before = await show(directory, base, file)
    let after: string | undefined
    if (committed) after = await show(directory, "HEAD", file)
    else
      try {
        after = readFileSync(path.join(directory, file), "utf8")
      } catch {}
    versions.push({ file, before, after })
  }
  return versions
}
