import { rmSync, rmdirSync } from "node:fs"
import path from "node:path"
import { oneAtATime } from "../concurrency/one-at-a-time.js"
import { faultPoint } from "../mission/fault-point.js"
import { commitIdentity, gitValue, truncate, type Outcome } from "./git.js"
import { landMission, takeCommand, type LandingStart } from "./landing.js"
import { prepareWorktree, type Preparation } from "./prepare.js"
import { fingerprintChanges, gitFingerprint } from "./git-integrity.js"
import { diskTree, excludePathspecs, hostOwnedPaths, snapshotCommit } from "./snapshot.js"
import { changedFileVersions, type FileVersions } from "./file-versions.js"
import type { IntegrateOutcome, TaskTree, Workspace, WorkspaceClosing, WorkspaceOpening } from "./workspace.js"
import { addWorktree, missionBranchName, missionWorktreesFolder, removeWorktree, resetWorktree, verifyWorktree } from "./worktree-ops.js"

export interface WorktreeSettings {
  includeUncommitted: boolean
  preparation: Preparation
  land: "auto" | "branch"
  keep: boolean
}

interface TaskWorktree {
  /** The worktree's top, and where the task works: the top, or the project's subfolder in it. */
  top: string
  directory: string
  branch: string
  base: string
  prepared: Set<string>
}

/**
 * One git worktree per task, on its own branch from the mission branch's head; approved tasks
 * are squash-merged into the mission branch, one at a time, in the mission's own worktree. The
 * user's checkout is read at the start and written only at the end (landing), if at all.
 */
export class WorktreeWorkspace implements Workspace {
  readonly isolated = true
  private readonly tasks = new Map<string, TaskWorktree>()
  /** git does not add or remove worktrees safely in parallel (`.git/worktrees` is shared): one at a time. */
  private readonly worktreeChanges = oneAtATime()

  private constructor(
    readonly root: string,
    readonly opening: WorkspaceOpening & { branch: string; head: string; base: string },
    readonly missionDirectory: string,
    private readonly folder: string,
    private readonly identity: string[],
    private readonly settings: WorktreeSettings,
    private readonly missionPrepared: Set<string>,
    /** The project's place in its repository ("" at the top): every worktree is of the whole repository, tasks work in this folder of it. */
    private readonly subfolder: string,
    /** The repository's top in the user's checkout: where landing happens. */
    private readonly repoTop: string,
  ) {}

  /** Where a task works inside a worktree. */
  private inProject(top: string): string {
    return this.subfolder ? path.join(top, this.subfolder) : top
  }

  /** Prepared paths (relative to the project) as paths from the worktree's top. */
  private fromTop(paths: Iterable<string>): string[] {
    return [...paths].map((file) => (this.subfolder ? path.posix.join(this.subfolder, file) : file))
  }

  private get missionTop(): string {
    return path.join(this.folder, "mission")
  }

  /** Creates the mission branch and its worktree. Fails (nothing left behind) rather than fall back. */
  static async open(root: string, missionId: string, settings: WorktreeSettings, signal?: AbortSignal, subfolder = "", repoTop = root): Promise<Outcome<WorktreeWorkspace>> {
    const head = await gitValue(["rev-parse", "--verify", "HEAD"], root)
    if (!head.ok) return head
    const worktrees = await missionWorktreesFolder(root, missionId)
    if (!worktrees.ok) return worktrees
    const identity = await commitIdentity(root)
    let base = head.value
    let uncommitted: WorkspaceOpening["uncommitted"] = "none"
    if (settings.includeUncommitted) {
      const snapshot = await snapshotCommit(root, head.value, identity)
      if (!snapshot.ok) return snapshot
      if (snapshot.value) [base, uncommitted] = [snapshot.value, "included"]
    } else {
      const disk = await diskTree(root, head.value)
      const headTree = await gitValue(["rev-parse", `${head.value}^{tree}`], root)
      if (disk.ok && headTree.ok && disk.value !== headTree.value) uncommitted = "not-included"
    }
    const branch = missionBranchName(missionId)
    const folder = worktrees.value
    const missionTop = path.join(folder, "mission")
    const missionDirectory = subfolder ? path.join(missionTop, subfolder) : missionTop
    const added = await addWorktree(root, missionTop, branch, base)
    if (!added.ok) return { ok: false, error: `cannot create the mission worktree: ${added.error}` }
    const checked = await verifyWorktree(root, missionTop, branch, base)
    const prepared = checked.ok ? await prepareWorktree(root, missionDirectory, settings.preparation, true, signal) : checked
    if (!prepared.ok) {
      await removeWorktree(root, missionTop, branch)
      return { ok: false, error: `cannot prepare the mission worktree: ${prepared.error}` }
    }
    const commonDir = await gitValue(["rev-parse", "--path-format=absolute", "--git-common-dir"], root)
    const gitFiles = commonDir.ok ? gitFingerprint(commonDir.value) : {}
    const opening = { mode: "worktrees" as const, branch, head: head.value, base, uncommitted, directory: missionDirectory, ...(subfolder ? { subfolder } : {}), gitFiles }
    return { ok: true, value: new WorktreeWorkspace(root, opening, missionDirectory, folder, identity, settings, new Set(prepared.value), subfolder, repoTop) }
  }

  /**
   * The workspace of a mission whose process ended: the mission worktree is checked or made
   * again from the mission branch and put back to its head (a half-made merge is dropped). Task
   * worktrees are removed, and so are the branches of tasks that were neither approved nor
   * failed: their next attempt starts fresh.
   */
  static async reopen(root: string, missionId: string, opening: WorkspaceOpening, failedBranches: string[], settings: WorktreeSettings): Promise<Outcome<WorktreeWorkspace>> {
    const { branch, head, base } = opening
    if (!branch || !head || !base) return { ok: false, error: "the journal does not name the mission branch" }
    const worktrees = await missionWorktreesFolder(root, missionId)
    if (!worktrees.ok) return worktrees
    const folder = worktrees.value
    const missionDirectory = opening.directory
    const subfolder = opening.subfolder ?? ""
    const missionTop = path.join(folder, "mission")
    const repoTop = subfolder ? path.resolve(root, ...subfolder.split("/").map(() => "..")) : root
    const tip = await gitValue(["rev-parse", "--verify", `refs/heads/${branch}`], root)
    if (!tip.ok) return { ok: false, error: `the mission branch ${branch} is gone` }
    await gitValue(["worktree", "prune"], root)
    if (!(await verifyWorktree(root, missionTop, branch, tip.value)).ok) {
      await removeWorktree(root, missionTop)
      rmSync(missionTop, { recursive: true, force: true })
      const added = await gitValue(["worktree", "add", "-q", missionTop, branch], root)
      if (!added.ok) return { ok: false, error: `cannot make the mission worktree again: ${added.error}` }
    }
    const reset = await resetWorktree(missionTop, tip.value)
    if (!reset.ok) return reset
    const prepared = await prepareWorktree(root, missionDirectory, settings.preparation, false)
    if (!prepared.ok) return prepared
    const listed = await gitValue(["worktree", "list", "--porcelain"], root)
    for (const line of listed.ok ? listed.value.split("\n") : [])
      if (line.startsWith("worktree ") && line.slice(9).startsWith(path.join(folder, "tasks"))) await removeWorktree(root, line.slice(9))
    rmSync(path.join(folder, "tasks"), { recursive: true, force: true })
    const taskBranches = await gitValue(["branch", "--list", "--format=%(refname:short)", `${branch}-task-*`], root)
    for (const taskBranch of taskBranches.ok ? taskBranches.value.split("\n").filter(Boolean) : [])
      if (!failedBranches.includes(taskBranch)) await gitValue(["branch", "-D", "-q", taskBranch], root)
    const identity = await commitIdentity(root)
    const value = new WorktreeWorkspace(root, { ...opening, branch, head, base }, missionDirectory, folder, identity, settings, new Set(prepared.value), subfolder, repoTop)
    return { ok: true, value }
  }

  async findMerge(marker: string): Promise<string | undefined> {
    const found = await gitValue(["log", "-F", `--grep=${marker}`, "--format=%H", `${this.opening.base}..HEAD`], this.missionDirectory)
    return found.ok && found.value ? found.value.split("\n")[0] : undefined
  }

  diffBase(taskId?: string): string | undefined {
    return taskId === undefined ? this.opening.base : this.tasks.get(taskId)?.base
  }

  async changeVersions(taskId?: string): Promise<FileVersions[]> {
    const task = taskId === undefined ? undefined : this.tasks.get(taskId)
    if (taskId !== undefined && !task) return []
    return task ? changedFileVersions(task.directory, task.base, true) : changedFileVersions(this.missionDirectory, this.opening.base, true)
  }

  missionHead(): Promise<string | undefined> {
    return this.headOf(this.missionDirectory)
  }

  /** A fresh tree on the mission's current head: created the first time, reset in place after that. */
  async openTask(taskId: string): Promise<Outcome<TaskTree>> {
    const head = await this.missionHead()
    if (!head) return { ok: false, error: "the mission worktree has no HEAD" }
    const started = Date.now()
    const existing = this.tasks.get(taskId)
    const top = path.join(this.folder, "tasks", taskId)
    const task = existing ?? { top, directory: this.inProject(top), branch: `${this.opening.branch}-task-${taskId}`, base: head, prepared: new Set<string>() }
    const placed = await this.worktreeChanges(async (): Promise<Outcome<void>> => {
      const made = existing ? await resetWorktree(task.top, head, this.fromTop(task.prepared)) : await addWorktree(this.root, task.top, task.branch, head)
      if (!made.ok) return { ok: false, error: `cannot ${existing ? "reset" : "create"} the worktree of task ${taskId}: ${made.error}` }
      faultPoint("worktree:placed")
      this.tasks.set(taskId, task)
      task.base = head
      const checked = await verifyWorktree(this.root, task.top, task.branch, head)
      return checked.ok ? checked : { ok: false, error: `the worktree of task ${taskId} is not as provisioned: ${checked.error}` }
    })
    if (!placed.ok) return placed
    const createMs = Date.now() - started
    const prepared = await prepareWorktree(this.root, task.directory, this.settings.preparation, !existing)
    if (!prepared.ok) return { ok: false, error: `task ${taskId}: ${prepared.error}` }
    for (const file of prepared.value) task.prepared.add(file)
    return { ok: true, value: { directory: task.directory, branch: task.branch, base: head, createMs, prepareMs: Date.now() - started - createMs } }
  }

  async commitTask(taskId: string, message: string): Promise<Outcome<{ commit?: string; files: string[] }>> {
    const task = this.tasks.get(taskId)
    if (!task) return { ok: false, error: `task ${taskId} has no worktree` }
    const excluded = await excludePathspecs(task.directory, [...task.prepared, ...hostOwnedPaths])
    const add = await gitValue(["add", "-A", "--", ":(top)", ...excluded], task.directory)
    if (!add.ok) return add
    const staged = await gitValue(["diff", "--cached", "--name-only"], task.directory)
    let commit: string | undefined
    if (staged.ok && staged.value) {
      const made = await gitValue([...this.identity, "commit", "-q", "--no-verify", "-m", message], task.directory)
      if (!made.ok) return made
      commit = await this.headOf(task.directory)
    }
    const files = await gitValue(["diff", "--name-only", "--relative", task.base, "HEAD"], task.directory)
    return { ok: true, value: { commit, files: files.ok ? files.value.split("\n").filter(Boolean) : [] } }
  }

  async taskDiff(taskId: string, _files: string[], maxChars = 24_000): Promise<string> {
    const task = this.tasks.get(taskId)
    if (!task) return "(no worktree)"
    const diff = await gitValue(["diff", "--no-color", task.base, "HEAD"], task.directory)
    return truncate(diff.ok ? diff.value || "(no changes)" : diff.error, maxChars)
  }

  async missionDiff(_files: string[], maxChars = 24_000): Promise<string> {
    const diff = await gitValue(["diff", "--no-color", this.opening.base, "HEAD"], this.missionDirectory)
    return truncate(diff.ok ? diff.value || "(no changes)" : diff.error, maxChars)
  }

  /** Squash-merges an approved task into the mission branch; a conflict leaves the branch as it was. */
  async integrate(taskId: string, message: string): Promise<IntegrateOutcome> {
    const task = this.tasks.get(taskId)
    const before = await this.missionHead()
    if (!task || !before) return { status: "error", error: `task ${taskId} has no worktree to merge` }
    const merge = await gitValue([...this.identity, "merge", "--squash", "-q", task.branch], this.missionDirectory)
    if (!merge.ok) {
      const unmerged = await gitValue(["diff", "--name-only", "--diff-filter=U"], this.missionDirectory)
      const files = unmerged.ok ? unmerged.value.split("\n").filter(Boolean) : []
      const detail = files.length ? await gitValue(["diff", "--no-color", "--", ...files], this.missionDirectory) : merge
      await resetWorktree(this.missionTop, before, this.fromTop(this.missionPrepared))
      if (!files.length) return { status: "error", error: merge.error }
      return { status: "conflict", files, detail: truncate(detail.ok ? detail.value : detail.error, 6000) }
    }
    const staged = await gitValue(["diff", "--cached", "--name-only", "--relative"], this.missionDirectory)
    if (!staged.ok || !staged.value) return { status: "merged", before, files: [] }
    const made = await gitValue([...this.identity, "commit", "-q", "--no-verify", "-m", message], this.missionDirectory)
    faultPoint("merge:committed")
    if (!made.ok) {
      await resetWorktree(this.missionTop, before, this.fromTop(this.missionPrepared))
      return { status: "error", error: made.error }
    }
    return { status: "merged", before, commit: await this.missionHead(), files: staged.value.split("\n") }
  }

  undoIntegrate(before: string): Promise<Outcome<void>> {
    return resetWorktree(this.missionTop, before, this.fromTop(this.missionPrepared))
  }

  /** Removes a merged task's worktree and branch (unless `keep`). */
  async releaseTask(taskId: string): Promise<void> {
    const task = this.tasks.get(taskId)
    if (!task || this.settings.keep) return
    await this.worktreeChanges(() => removeWorktree(this.root, task.top, task.branch))
    this.tasks.delete(taskId)
  }

  /**
   * Lands the result when sealed, then removes what the mission made. Kept: the mission branch
   * unless it landed by fast-forward or holds nothing; a task branch holding unmerged work.
   */
  async close(sealed: boolean): Promise<WorkspaceClosing> {
    const keptBranches: string[] = []
    const keptWorktrees: string[] = []
    for (const [taskId, task] of this.tasks) {
      if (this.settings.keep) {
        keptWorktrees.push(task.directory)
        keptBranches.push(task.branch)
        continue
      }
      const work = await gitValue(["rev-list", "--count", `${task.base}..${task.branch}`], this.root)
      const hasWork = work.ok && work.value !== "0"
      await removeWorktree(this.root, task.top, hasWork ? undefined : task.branch)
      if (hasWork) keptBranches.push(task.branch)
      this.tasks.delete(taskId)
    }
    const landing = await this.land(sealed)
    const keepMissionBranch = this.settings.keep || (landing.landing !== "fast-forward" && landing.landing !== "nothing")
    if (this.settings.keep) keptWorktrees.push(this.missionDirectory)
    else await removeWorktree(this.root, this.missionTop, keepMissionBranch ? undefined : this.opening.branch)
    if (keepMissionBranch) keptBranches.unshift(this.opening.branch)
    await gitValue(["worktree", "prune"], this.root)
    if (!this.settings.keep) {
      rmSync(path.join(this.folder, "tasks"), { recursive: true, force: true })
      try {
        rmdirSync(this.folder)
      } catch {}
    }
    return { ...landing, keptBranches, keptWorktrees }
  }

  /** Where the result goes: nowhere (no change), into the checkout (sealed, "land": "auto"), or it stays on the branch. */
  private async land(sealed: boolean): Promise<Pick<WorkspaceClosing, "landing" | "detail" | "command">> {
    const head = (await this.missionHead()) ?? this.opening.base
    const start: LandingStart = { root: this.repoTop, branch: this.opening.branch, head: this.opening.head, base: this.opening.base, snapshot: this.opening.uncommitted === "included" }
    if (head === this.opening.base) return { landing: "nothing", detail: "the mission branch has no change" }
    if (sealed && this.settings.land === "auto") {
      const changed = await this.gitFilesChanged()
      if (changed.length)
        return { landing: "branch", detail: `not landed: the repository's git config or hooks changed during the mission (${changed.join(", ")}); check them, then take it`, command: takeCommand(start) }
      return landMission(start, head).finally(() => faultPoint("land:done"))
    }
    const detail = sealed ? 'kept on its branch ("land": "branch")' : "not sealed: the approved work stays on the mission branch"
    return { landing: "branch", detail, command: takeCommand(start) }
  }

  /** What changed in the repository's config, hooks and attributes since the mission started. */
  private async gitFilesChanged(): Promise<string[]> {
    const before = this.opening.gitFiles
    if (!before) return []
    const commonDir = await gitValue(["rev-parse", "--path-format=absolute", "--git-common-dir"], this.root)
    return commonDir.ok ? fingerprintChanges(before, gitFingerprint(commonDir.value)) : ["the git folder could not be read"]
  }

  private async headOf(directory: string): Promise<string | undefined> {
    const head = await gitValue(["rev-parse", "HEAD"], directory)
    return head.ok ? head.value : undefined
  }
}
