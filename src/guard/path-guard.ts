import { lstatSync, readlinkSync, realpathSync } from "node:fs"
import path from "node:path"

/** Longer paths are refused before anything is resolved: no file system takes them, and resolving one costs time. */
const maxPathLength = 4096
const maxNameLength = 255
/** Symlinks followed in one path before it counts as a loop. */
const maxLinks = 40

/**
 * Where `file` really leads: each component in turn, following every symlink, also one whose
 * target does not exist (a write through it would create that target). Linear in the path;
 * undefined for a path that loops through symlinks.
 */
function resolveLinks(file: string): string | undefined {
  const pending = path.resolve(file).split(path.sep).filter(Boolean)
  let current = path.parse(path.resolve(file)).root
  let links = 0
  while (pending.length) {
    const name = pending.shift()!
    const next = path.join(current, name)
    let stats
    try {
      stats = lstatSync(next)
    } catch {
      // From here on nothing exists: the rest is where a write would create it.
      return path.join(next, ...pending)
    }
    if (!stats.isSymbolicLink()) {
      current = next
      continue
    }
    if (++links > maxLinks) return undefined
    const target = readlinkSync(next)
    pending.unshift(...path.resolve(current, target).split(path.sep).filter(Boolean))
    current = path.parse(path.resolve(current, target)).root
  }
  return current
}

function real(directory: string): string {
  try {
    return realpathSync(directory)
  } catch {
    return path.resolve(directory)
  }
}

/** True when `child` is `parent` or inside it (a name like `..cache` is inside). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child)
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}

export interface PathGuardOptions {
  /** The session works in the user's own checkout: the host's config and the mission's files there are not the task's to write. */
  userCheckout?: boolean
}

/** Paths inside the task's directory that no task writes: git's, and in the user's checkout the host's config and ours. */
function protectedPart(relative: string, options: PathGuardOptions): string | undefined {
  const parts = relative.split(path.sep)
  if (parts.includes(".git")) return "git's own files (.git)"
  if (options.userCheckout && parts[0] === ".opencode") return "the host's and the orchestrator's files (.opencode)"
  if (options.userCheckout && parts.length === 1 && (parts[0] === "opencode.json" || parts[0] === "opencode.jsonc")) return "the host's config"
  return undefined
}

/** Why writing `filePath` from a session working in `directory` leaves it (also through a symlink), or undefined. */
export function pathOutside(directory: string, filePath: string, options: PathGuardOptions = {}): string | undefined {
  if (filePath.includes("\0")) return "the path contains a NUL character"
  if (filePath.length > maxPathLength || filePath.split(/[\\/]/).some((name) => name.length > maxNameLength)) return "the path is longer than file systems allow"
  const target = path.resolve(directory, filePath)
  if (!isInside(directory, target)) return `${filePath} is outside the task's directory`
  const home = real(directory)
  const resolved = resolveLinks(target)
  if (resolved === undefined) return `${filePath} loops through symlinks`
  if (!isInside(home, resolved)) return `${filePath} leads outside the task's directory through a symlink`
  const part = protectedPart(path.relative(home, resolved), options) ?? protectedPart(path.relative(directory, target), options)
  if (part) return `${filePath} is ${part}, not the task's to write`
  return undefined
}

/** The files an `apply_patch` call would add, change, move to or delete (the host offers it to gpt-* models in place of write/edit). */
export function patchedFiles(patchText: string): string[] {
  const files: string[] = []
  for (const line of patchText.split("\n")) {
    const match = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/.exec(line.trimEnd())
    if (match) files.push(match[1]!.trim())
  }
  return files
}
