import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { emptyTreeHash, git, truncate, withTemporaryIndex, type Outcome } from "./git.js"

/** Where a task attempt works. */
export interface TaskTree {
  directory: string
  /** Set for a worktree: its branch and the mission commit it starts from. */
  branch?: string
  base?: string
  /** Milliseconds spent creating (or resetting) and preparing it. */
  createMs: number
  prepareMs: number
}

export type IntegrateOutcome =
  | { status: "merged"; before: string; commit?: string; tree?: string; files: string[] }
  | { status: "conflict"; files: string[]; detail: string }
  | { status: "error"; error: string }

import { changedFileVersions, type FileVersions } from "./file-versions.js"
export type { WorkspaceClosing, WorkspaceOpening } from "../mission/mission-event.js"
import type { WorkspaceClosing, WorkspaceOpening } from "../mission/mission-event.js"

/**
 * Where tasks work, how their change is shown and how it reaches the mission. Two kinds: the
 * project's own tree shared by every task (tasks with shared files are kept apart by the
 * scheduler), and one git worktree per task merged back by code (`WorktreeWorkspace`).
 */
export interface Workspace {
  readonly opening: WorkspaceOpening
  /** The user's checkout. */
  readonly root: string
  /** The mission's tree: what its verification runs on and what the plan is checked against. */
  readonly missionDirectory: string
  /** True when each task has its own tree and its approved change must be merged. */
  readonly isolated: boolean
  openTask(taskId: string): Promise<Outcome<TaskTree>>
  /** Makes up to `count` task trees ahead of need, free for the first tasks; returns their directories (none for a shared tree). */
  warmTrees(count: number): Promise<string[]>
  /** Code commits what the worker changed; returns the files the task changed so far. */
  commitTask(taskId: string, message: string): Promise<Outcome<{ commit?: string; files: string[] }>>
  taskDiff(taskId: string, files: string[], maxChars?: number): Promise<string>
  missionDiff(files: string[], maxChars?: number): Promise<string>
  /** The commit a task's (or, without one, the mission's) diff is taken against: what a child's `git diff` of the rest names. */
  diffBase(taskId?: string): string | undefined
  /** The files a task's (or the mission's) change touched, with their text before and after. */
  changeVersions(taskId?: string): Promise<FileVersions[]>
  missionHead(): Promise<string | undefined>
  integrate(taskId: string, message: string): Promise<IntegrateOutcome>
  /** The tree of the task's last commit, which its own verification ran on; unknown after a resume. */
  taskTree(taskId: string): string | undefined
  undoIntegrate(before: string): Promise<Outcome<void>>
  /** The mission-branch commit whose message carries `marker`, if a merge made one (for a resume). */
  findMerge(marker: string): Promise<string | undefined>
  /** The task's tree is free for the next task; `merged`: its work is in the mission branch. */
  releaseTask(taskId: string, merged: boolean): Promise<void>
  /** Where the master reviewer reads the whole change, between rounds (no task runs): a tree at the mission's head. */
  openReviewTree(): Promise<string>
  close(sealed: boolean): Promise<WorkspaceClosing>
}

/** The spine's workspace: every task works in the project's own tree. */
export class SharedWorkspace implements Workspace {
  readonly isolated = false
  readonly missionDirectory: string
  readonly opening: WorkspaceOpening
  private constructor(
    readonly root: string,
    private readonly base: string | undefined,
    reason: string,
  ) {
    this.missionDirectory = root
    this.opening = { mode: "shared", reason, uncommitted: "none", directory: root, ...(base ? { base } : {}) }
  }

  /** A resumed mission's shared tree: the diff base stays the one recorded at its start. */
  static reopen(opening: WorkspaceOpening): SharedWorkspace {
    return new SharedWorkspace(opening.directory, opening.base, opening.reason ?? "shared tree")
  }

  /** Records the commit the mission starts from (the empty tree in a repository with no commit). */
  static async open(root: string, reason: string): Promise<SharedWorkspace> {
    const inside = await git(["rev-parse", "--is-inside-work-tree"], root)
    if (!inside.ok) return new SharedWorkspace(root, undefined, reason)
    const head = await git(["rev-parse", "--verify", "-q", "HEAD"], root)
    return new SharedWorkspace(root, head.ok ? head.stdout.trim() : emptyTreeHash, reason)
  }

  async openTask(): Promise<Outcome<TaskTree>> {
    return { ok: true, value: { directory: this.root, createMs: 0, prepareMs: 0 } }
  }
  async warmTrees(): Promise<string[]> {
    return []
  }
  async commitTask(): Promise<Outcome<{ files: string[] }>> {
    return { ok: true, value: { files: [] } }
  }
  taskDiff(_taskId: string, files: string[], maxChars?: number): Promise<string> {
    return this.diff(files, maxChars)
  }
  missionDiff(files: string[], maxChars?: number): Promise<string> {
    return this.diff(files, maxChars)
  }
  diffBase(): string | undefined {
    return this.base
  }
  async changeVersions(): Promise<FileVersions[]> {
    return this.base ? changedFileVersions(this.root, this.base) : []
  }
  async missionHead(): Promise<undefined> {
    return undefined
  }
  async integrate(): Promise<IntegrateOutcome> {
    return { status: "error", error: "the shared tree has nothing to merge" }
  }
  taskTree(): undefined {
    return undefined
  }
  async undoIntegrate(): Promise<Outcome<void>> {
    return { ok: true, value: undefined }
  }
  async findMerge(): Promise<undefined> {
    return undefined
  }
  async releaseTask(): Promise<void> {}
  async openReviewTree(): Promise<string> {
    return this.missionDirectory
  }
  async close(): Promise<WorkspaceClosing> {
    return { landing: "shared", detail: "tasks worked in your checkout", keptBranches: [], keptWorktrees: [] }
  }

  /** The change to these files since the mission started, as a unified diff. */
  async diff(files: string[], maxChars = 24_000): Promise<string> {
    const paths = [...new Set(files)].filter(Boolean)
    if (paths.length === 0) return "(no files)"
    const base = this.base
    if (!base) return truncate(this.contents(paths), maxChars)
    // A temporary index: the user's own index is never read or written.
    return withTemporaryIndex(async (env) => {
      if (base !== emptyTreeHash) await git(["read-tree", base], this.root, env)
      // One unmatched pathspec fails a whole `git add`: keep paths on disk or in the base tree.
      const tracked = (await git(["ls-files", "-z", "--", ...paths], this.root, env)).stdout.split("\0").filter(Boolean)
      const known = paths.filter((file) => existsSync(path.join(this.root, file)) || tracked.some((entry) => entry === file || entry.startsWith(`${file}/`)))
      if (known.length === 0) return "(no changes)"
      await git(["add", "-A", "--", ...known], this.root, env)
      const diff = await git(["diff", "--cached", "--no-color", base, "--", ...known], this.root, env)
      return truncate(diff.stdout.trim() || "(no changes)", maxChars)
    })
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
