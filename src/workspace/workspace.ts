import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { emptyTreeHash, git } from "./git.js"

/**
 * Where tasks work and how their change is shown. The spine's workspace is the project's own
 * tree, shared by every task; tasks that declare the same files are kept apart by the scheduler
 * (`exclusiveFiles`). An isolated workspace (one git worktree per task) implements the same shape.
 */
export interface Workspace {
  readonly root: string
  /** Tasks sharing files must not run at once. */
  readonly exclusiveFiles: boolean
  taskDirectory(taskId: string): string
  /** The change to these files since the mission started, as a unified diff. */
  diff(files: string[], maxChars?: number): Promise<string>
}

function truncate(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (diff truncated at ${maxChars} characters)` : text
}

export class SharedWorkspace implements Workspace {
  readonly exclusiveFiles = true
  private constructor(
    readonly root: string,
    private readonly base: string | undefined,
  ) {}

  /** Records the commit the mission starts from (the empty tree in a repository with no commit). */
  static async open(root: string): Promise<SharedWorkspace> {
    const inside = await git(["rev-parse", "--is-inside-work-tree"], root)
    if (!inside.ok) return new SharedWorkspace(root, undefined)
    const head = await git(["rev-parse", "--verify", "-q", "HEAD"], root)
    return new SharedWorkspace(root, head.ok ? head.stdout.trim() : emptyTreeHash)
  }

  taskDirectory(): string {
    return this.root
  }

  async diff(files: string[], maxChars = 24_000): Promise<string> {
    const paths = [...new Set(files)].filter(Boolean)
    if (paths.length === 0) return "(no files)"
    if (!this.base) return truncate(this.contents(paths), maxChars)
    // A temporary index: the user's own index is never read or written.
    const indexDir = mkdtempSync(path.join(os.tmpdir(), "orchestrator-index-"))
    const env = { GIT_INDEX_FILE: path.join(indexDir, "index") }
    try {
      if (this.base !== emptyTreeHash) await git(["read-tree", this.base], this.root, env)
      // One unmatched pathspec fails a whole `git add`: keep paths on disk or in the base tree.
      const tracked = (await git(["ls-files", "-z", "--", ...paths], this.root, env)).stdout.split("\0").filter(Boolean)
      const known = paths.filter((file) => existsSync(path.join(this.root, file)) || tracked.some((entry) => entry === file || entry.startsWith(`${file}/`)))
      if (known.length === 0) return "(no changes)"
      await git(["add", "-A", "--", ...known], this.root, env)
      const diff = await git(["diff", "--cached", "--no-color", this.base, "--", ...known], this.root, env)
      return truncate(diff.stdout.trim() || "(no changes)", maxChars)
    } finally {
      rmSync(indexDir, { recursive: true, force: true })
    }
  }

  private contents(paths: string[]): string {
    return paths
      .map((file) => {
        try {
          return `--- ${file}\n${readFileSync(path.join(this.root, file), "utf8")}`
        } catch {
          return `--- ${file}\n(missing)`
        }
      })
      .join("\n")
  }
}
