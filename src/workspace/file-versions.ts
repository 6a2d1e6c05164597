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
 * The files changed in `directory` since `base`, with both versions: against the commit `tip`
 * when the change is committed (a task's branch, the mission branch), else against the working
 * tree (a shared tree), untracked files included. At most `maxFiles`, in path order. `known`: the
 * changed names when the caller read them already (committed changes only).
 */
export async function changedFileVersions(directory: string, base: string, tip?: string, maxFiles = 40, known?: string[]): Promise<FileVersions[]> {
  const committed = tip !== undefined
  // The names, unless the caller has them already (`git diff --name-only --no-renames --relative base tip`).
  const names = known ? { ok: true, stdout: known.join("\n") } : await git(["diff", "--name-only", "--no-renames", "--relative", base, ...(committed ? [tip] : [])], directory)
  if (!names.ok) return []
  const files = new Set(names.stdout.split("\n").filter(Boolean))
  if (!committed) {
    const untracked = await git(["ls-files", "--others", "--exclude-standard"], directory)
    for (const file of untracked.stdout.split("\n").filter(Boolean)) files.add(file)
  }
  const chosen = [...files].sort().slice(0, maxFiles)
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
