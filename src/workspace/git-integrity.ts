import { createHash } from "node:crypto"
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs"
import path from "node:path"

/**
 * The files by which a repository runs programs of its own: its config, its hooks, its attributes
 * (filters and diff drivers). Fingerprinted when a mission starts and checked before it lands: a
 * change made during the mission (by a worker, whatever the sandbox) stops the landing.
 */
const watched = ["config", "config.worktree", "info/attributes", "hooks"]

function fingerprintOf(file: string): string | undefined {
  let stats
  try {
    stats = lstatSync(file)
  } catch {
    return undefined
  }
  const hash = createHash("sha256")
  if (stats.isSymbolicLink()) hash.update(`link:${readlinkSync(file)}`)
  else if (stats.isFile()) hash.update(`file:${stats.mode & 0o111 ? "x" : "-"}:`).update(readFileSync(file))
  else hash.update("other")
  return hash.digest("hex").slice(0, 16)
}

/** Each watched path in the git common dir `gitDir` that exists, with a hash of what it is. */
export function gitFingerprint(gitDir: string): Record<string, string> {
  const found: Record<string, string> = {}
  const add = (relative: string) => {
    const value = fingerprintOf(path.join(gitDir, relative))
    if (value) found[relative] = value
  }
  for (const name of watched) {
    if (name !== "hooks") add(name)
    else {
      let hooks: string[] = []
      try {
        hooks = readdirSync(path.join(gitDir, "hooks")).sort()
      } catch {}
      for (const hook of hooks) add(`hooks/${hook}`)
    }
  }
  return found
}

/** The watched paths that were added, removed or changed between two fingerprints. */
export function fingerprintChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...names].filter((name) => before[name] !== after[name]).sort()
}
