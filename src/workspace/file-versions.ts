import { readFileSync } from "node:fs"
import path from "node:path"
import { git, readObjects } from "./git.js"

/** One changed file's text on both sides; undefined where it does not exist. */
export interface FileVersions {
  file: string
  before?: string
  after?: string
}

/**
 * The files changed in `directory` since `base`, against the commit `tip` or, without one, the
 * working tree's tracked files: relative to `directory`, a moved file by both paths (its
 * before-and-after versions need both). Undefined when git cannot tell.
 */
export async function changedNames(directory: string, base: string, tip?: string): Promise<string[] | undefined> {
  const names = await git(["diff", "--name-only", "--no-renames", "--relative", base, ...(tip === undefined ? [] : [tip])], directory)
  return names.ok ? names.stdout.split("\n").filter(Boolean) : undefined
}

/**
 * The files changed in `directory` since `base`, with both versions: against the commit `tip`
 * when the change is committed (a task's branch, the mission branch), else against the working
 * tree (a shared tree), untracked files included. At most `maxFiles`, in path order. `names`: what
 * `changedNames` gave for the same commits, when the caller has it already.
 */
export async function changedFileVersions(directory: string, base: string, tip?: string, options: { names?: string[]; maxFiles?: number } = {}): Promise<FileVersions[]> {
  const committed = tip !== undefined
  const names = options.names ?? (await changedNames(directory, base, tip))
  if (!names) return []
  const files = new Set(names)
  if (!committed) {
    const untracked = await git(["ls-files", "--others", "--exclude-standard"], directory)
    for (const file of untracked.stdout.split("\n").filter(Boolean)) files.add(file)
  }
  const chosen = [...files].sort().slice(0, options.maxFiles ?? 40)
  // Both sides of every file from one git process (paths relative to `directory`: `./`).
  const objects = await readObjects(chosen.flatMap((file) => [`${base}:./${file}`, ...(committed ? [`${tip}:./${file}`] : [])]), directory)
  return chosen.map((file, index) => {
    const before = objects[committed ? index * 2 : index]
    let after: string | undefined
    if (committed) after = objects[index * 2 + 1]
    else
      try {
        after = readFileSync(path.join(directory, file), "utf8")
      } catch {}
    return { file, before, after }
  })
}
