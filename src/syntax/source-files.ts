import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs"
import path from "node:path"
import { isInside } from "../guard/path-guard.js"
import { git, type Outcome } from "../workspace/git.js"

/** Files larger than this are not parsed (generated bundles, data). */
export const maxSourceBytes = 1024 * 1024
/** At most this many files are read for one search, rewrite or map. */
export const maxSourceFiles = 20_000

const skippedFolders = new Set([".git", "node_modules", ".opencode", "dist", "build", "target", "vendor", "__pycache__", ".venv"])

/**
 * The project's files under `paths` (files or folders relative to `directory`; all when empty):
 * what git tracks plus untracked files it does not ignore, or a walk that skips dependency and
 * build folders outside a repository. Files whose real path leaves `directory` (a symlink out) and
 * files over `maxSourceBytes` are left out. A path outside `directory` is an error.
 */
export async function sourceFiles(directory: string, paths: string[] = []): Promise<Outcome<string[]>> {
  const home = realpathSync(directory)
  for (const entry of paths) {
    if (entry.includes("\0") || !isInside(directory, path.resolve(directory, entry))) return { ok: false, error: `${entry} is outside the task's directory` }
  }
  const listed = await git(["ls-files", "-co", "--exclude-standard", "-z", "--", ...(paths.length ? paths : ["."])], directory)
  const candidates = listed.ok ? listed.stdout.split("\0").filter(Boolean) : walk(directory, paths)
  const files: string[] = []
  for (const file of candidates) {
    if (files.length >= maxSourceFiles) break
    if (readable(home, path.join(directory, file))) files.push(file.split(path.sep).join("/"))
  }
  return { ok: true, value: files }
}

function readable(home: string, file: string): boolean {
  try {
    const link = lstatSync(file)
    const stat = link.isSymbolicLink() ? statSync(file) : link
    if (!stat.isFile() || stat.size > maxSourceBytes) return false
    return !link.isSymbolicLink() || isInside(home, realpathSync(file))
  } catch {
    return false // listed by git but deleted, or a dangling link
  }
}

function walk(directory: string, paths: string[]): string[] {
  const found: string[] = []
  const visit = (relative: string) => {
    if (found.length >= maxSourceFiles) return
    const full = path.join(directory, relative)
    let stat
    try {
      stat = lstatSync(full)
    } catch {
      return
    }
    if (!stat.isDirectory()) return void found.push(relative)
    for (const name of readdirSync(full).sort()) if (!skippedFolders.has(name)) visit(relative ? path.join(relative, name) : name)
  }
  for (const entry of paths.length ? paths : [""]) visit(path.normalize(entry).replace(/^\.$/, ""))
  return found
}
