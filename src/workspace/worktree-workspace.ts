import { rmSync, rmdirSync } from "node:fs"
import path from "node:path"
import { oneAtATime } from "../concurrency/one-at-a-time.js"
import { faultPoint } from "../mission/fault-point.js"
import { commitIdentity, gitSteps, gitValue, stepFailure, stepPassed, truncate, type GitStep, type GitStepResult, type Outcome } from "./git.js"
import { landMission, takeCommand, type LandingStart } from "./landing.js"
import { prepareWorktree, type Preparation } from "./prepare.js"
import { fingerprintChanges, gitFingerprint } from "./git-integrity.js"
import { diskTree, excludePathspecs, hostOwnedPaths, snapshotCommit } from "./snapshot.js"
import { clearStaleGitLocks } from "./stale-git-locks.js"
import { changedFileVersions, type FileVersions } from "./file-versions.js"
import type { IntegrateOutcome, TaskTree, Workspace, WorkspaceClosing, WorkspaceOpening } from "./workspace.js"
import { addDetachedWorktree, addWorktree, detachWorktree, missionBranchName, missionWorktreesFolder, removeWorktree, resetTaskWorktree, resetWorktree, switchWorktree, verifyWorktree, type Placement } from "./worktree-ops.js"

export interface WorktreeSettings {
  includeUncommitted: boolean
  preparation: Preparation
  land: "auto" | "branch"
  keep: boolean
}

/**
 * A pooled worktree. The host makes an instance (config, plugins, agents) per directory, which
 * costs seconds: a slot keeps its directory, so that is paid once per slot, not once per task.
 */
interface Slot {
  /** The worktree's top, and where its task works: the top, or the project's subfolder in it. */
  top: string
  directory: string
  /** On disk and listed by git. */
  made: boolean
  /** The task working in it now; unset while it is free. */
  taskId?: string
  /** The branch checked out in it. */
  branch?: string
  prepared: Set<string>
  /** `git add` pathspecs that leave the prepared and host-owned paths out, for the prepared set of that size. */
  exclusions?: { count: number; pathspecs: string[] }
}

interface TaskWorktree {
  slot: Slot
  branch: string
  base: string
  merged: boolean
  /** The task's last commit (its base until it commits): only the engine commits on a task's branch. */
  tip: string
  /** The tree of `tip`, read at that commit: what the task's own verification ran on next. */
  tipTree?: string
  /** The files changed from its base to `tip`, read at its last commit; unset until then. */
  files?: string[]
  /** The task's diff, kept for the range it was taken of (the review and the merge train both show it). */
  diff?: { range: string; text: string }
}

/** Where pooled worktrees live in a mission's folder ("tasks": one per task, before the pool). */
const poolFolders = ["slots", "tasks"]

/**
 * Task worktrees from a pool (at most as many as tasks run at once), each task on its own branch
 * from the mission branch's head; approved tasks are squash-merged into the mission branch, one at
 * a time, in the mission's own worktree. The user's checkout is read at the start and written
 * only at the end (landing), if at all.
 */
export class WorktreeWorkspace implements Workspace {
  readonly isolated = true
  private readonly tasks = new Map<string, TaskWorktree>()
  private readonly slots: Slot[] = []
  private head?: string
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
    const checked = await verifyWorktree(missionTop, branch, base)
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
   * again from the mission branch, cleared of the lock files a killed git left, and put back to its
   * head (a half-made merge is dropped). Task
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
    if (!(await verifyWorktree(missionTop, branch, tip.value)).ok) {
      await removeWorktree(root, missionTop)
      rmSync(missionTop, { recursive: true, force: true })
      const added = await gitValue(["worktree", "add", "-q", missionTop, branch], root)
      if (!added.ok) return { ok: false, error: `cannot make the mission worktree again: ${added.error}` }
    }
    await clearStaleGitLocks(missionTop, branch)
    const reset = await resetWorktree(missionTop, tip.value)
    if (!reset.ok) return reset
    const prepared = await prepareWorktree(root, missionDirectory, settings.preparation, false)
    if (!prepared.ok) return prepared
    const listed = await gitValue(["worktree", "list", "--porcelain"], root)
    const pooled = poolFolders.map((name) => path.join(folder, name) + path.sep)
    for (const line of listed.ok ? listed.value.split("\n") : [])
      if (line.startsWith("worktree ") && pooled.some((prefix) => line.slice(9).startsWith(prefix))) await removeWorktree(root, line.slice(9))
    for (const name of poolFolders) rmSync(path.join(folder, name), { recursive: true, force: true })
    const taskBranches = await gitValue(["branch", "--list", "--format=%(refname:short)", `${branch}-task-*`], root)
    const unfinished = (taskBranches.ok ? taskBranches.value.split("\n").filter(Boolean) : []).filter((taskBranch) => !failedBranches.includes(taskBranch))
    if (unfinished.length) await gitValue(["branch", "-D", "-q", ...unfinished], root)
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
    // A committed task's files are known from its commit.
    if (task?.files) return changedFileVersions(this.missionDirectory, task.base, task.tip, { names: task.files })
    return changedFileVersions(this.missionDirectory, task?.base ?? this.opening.base, task?.branch ?? "HEAD")
  }

  /** The mission branch's head: read once, then kept, as only this workspace moves it (merges, undos). */
  async missionHead(): Promise<string | undefined> {
    this.head ??= await this.headOf(this.missionDirectory)
    return this.head
  }

  /**
   * A fresh tree on the mission's current head, on the task's own branch: a free slot of the pool
   * switched to it (a new slot when none is free). The task's next attempt after a failed merge
   * resets the same slot in place.
   */
  async openTask(taskId: string): Promise<Outcome<TaskTree>> {
    const head = await this.missionHead()
    if (!head) return { ok: false, error: "the mission worktree has no HEAD" }
    const started = Date.now()
    const existing = this.tasks.get(taskId)
    const own = existing && (existing.slot.taskId === undefined || existing.slot.taskId === taskId) ? existing.slot : undefined
    const slot = own ?? this.claimSlot()
    slot.taskId = taskId
    const task: TaskWorktree = existing ?? { slot, branch: `${this.opening.branch}-task-${taskId}`, base: head, tip: head, merged: false }
    const action = !slot.made ? "create" : slot.branch === task.branch ? "reset" : "switch"
    const made = await this.place(action, slot, task.branch, head)
    if (!made.ok) {
      slot.taskId = undefined
      return { ok: false, error: `cannot ${action} the worktree of task ${taskId}: ${made.error}` }
    }
    Object.assign(slot, { made: true, branch: task.branch })
    faultPoint("worktree:placed")
    Object.assign(task, { slot, base: head, tip: head, tipTree: undefined, files: undefined })
    this.tasks.set(taskId, task)
    const { checked } = made.value
    if (!checked.ok) return { ok: false, error: `the worktree of task ${taskId} is not as provisioned: ${checked.error}` }
    const createMs = Date.now() - started
    const prepared = await prepareWorktree(this.root, slot.directory, this.settings.preparation, action !== "reset")
    if (!prepared.ok) return { ok: false, error: `task ${taskId}: ${prepared.error}` }
    for (const file of prepared.value) slot.prepared.add(file)
    return { ok: true, value: { directory: slot.directory, branch: task.branch, base: head, createMs, prepareMs: Date.now() - started - createMs } }
  }

  /** The slot on `branch` at a clean `head`, and checked: made, reset in place (a task's next attempt), or switched from another task's branch. */
  private async place(action: "create" | "reset" | "switch", slot: Slot, branch: string, head: string): Promise<Placement> {
    if (action === "reset") return resetTaskWorktree(slot.top, branch, head, this.fromTop(slot.prepared))
    if (action === "switch") return switchWorktree(slot.top, branch, head, this.fromTop(slot.prepared))
    const added = await this.worktreeChanges(() => addWorktree(this.root, slot.top, branch, head))
    return added.ok ? { ok: true, value: { checked: await verifyWorktree(slot.top, branch, head) } } : added
  }

  /** A free slot, the one made longest ago first (its host instance is warm); a new one when all are taken. */
  private claimSlot(): Slot {
    return this.warmFreeSlot() ?? this.slots.find((candidate) => candidate.taskId === undefined) ?? this.newSlot()
  }

  /** The free slot made longest ago: the likeliest to have a warm host instance. */
  private warmFreeSlot(): Slot | undefined {
    return this.slots.find((candidate) => candidate.made && candidate.taskId === undefined)
  }

  private newSlot(): Slot {
    const top = path.join(this.folder, "slots", String(this.slots.length + 1))
    const slot: Slot = { top, directory: this.inProject(top), made: false, prepared: new Set() }
    this.slots.push(slot)
    return slot
  }

  /**
   * Makes slots up to `count` before any task needs them (while the planner works), on the
   * mission's head with no branch, prepared but without the setup commands (a task's switch runs
   * those). Not called while tasks run. A slot git cannot make is dropped, and warming stops.
   */
  async warmTrees(count: number): Promise<string[]> {
    const head = await this.missionHead()
    const made: string[] = []
    while (head && this.slots.length < count) {
      const slot = this.newSlot()
      const added = await this.worktreeChanges(() => addDetachedWorktree(this.root, slot.top, head))
      const prepared = added.ok ? await prepareWorktree(this.root, slot.directory, this.settings.preparation, false) : added
      if (!added.ok) {
        this.slots.pop()
        break
      }
      slot.made = true
      if (prepared.ok) for (const file of prepared.value) slot.prepared.add(file)
      made.push(slot.directory)
    }
    return made
  }

  /**
   * A free slot whose host instance is warm (tasks have run there), put at the mission's head with
   * no branch: the master reviewer reads the whole change there, and the mission's own tree never
   * costs the host an instance of its own. The mission's tree when no slot is free or the switch fails.
   */
  async openReviewTree(): Promise<string> {
    const head = await this.missionHead()
    const slot = this.warmFreeSlot()
    if (!head || !slot) return this.missionDirectory
    const placed = await detachWorktree(slot.top, head, this.fromTop(slot.prepared))
    // No branch now: the slot's next task switches it to its own.
    slot.branch = undefined
    return placed.ok ? slot.directory : this.missionDirectory
  }

  async commitTask(taskId: string, message: string): Promise<Outcome<{ commit?: string; files: string[] }>> {
    const task = this.tasks.get(taskId)
    if (!task) return { ok: false, error: `task ${taskId} has no worktree` }
    const directory = task.slot.directory
    const slot = task.slot
    if (slot.exclusions?.count !== slot.prepared.size) slot.exclusions = { count: slot.prepared.size, pathspecs: await excludePathspecs(directory, [...slot.prepared, ...hostOwnedPaths]) }
    const excluded = slot.exclusions.pathspecs
    // One process: stage, commit, (nothing staged?), the new head and its tree, the files since the base.
    const [add, commit, unstaged, shown, names] = await gitSteps(
      [
        { args: ["add", "-A", "--", ":(top)", ...excluded] },
        ...commitSteps(this.identity, message, 1),
        { args: ["rev-parse", "HEAD", "HEAD^{tree}"], mayFail: true },
        { args: ["diff", "--name-only", "--no-renames", "--relative", task.base, "HEAD"], mayFail: true },
      ],
      directory,
    )
    if (!stepPassed(add)) return stepFailure(add, "add")
    const made = commitMade(commit, unstaged)
    if (made !== "committed" && made !== "nothing") return made
    const [head, tree] = made === "committed" && stepPassed(shown) ? shown.stdout.trim().split("\n") : []
    if (head) Object.assign(task, { tip: head, tipTree: tree })
    const files = stepPassed(names) ? names.stdout.split("\n").filter(Boolean) : undefined
    task.files = files
    return { ok: true, value: { commit: head, files: files ?? [] } }
  }

  async taskDiff(taskId: string, _files: string[], maxChars = 24_000): Promise<string> {
    const task = this.tasks.get(taskId)
    if (!task) return "(no worktree)"
    const range = `${task.base}..${task.tip}`
    if (task.diff?.range !== range) {
      const diff = await gitValue(["diff", "--no-color", task.base, task.tip], this.missionDirectory)
      if (!diff.ok) return truncate(diff.error, maxChars)
      task.diff = { range, text: diff.value || "(no changes)" }
    }
    return truncate(task.diff.text, maxChars)
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
    // One process: the squash merge, its commit, (nothing staged?), then the new head, its tree and its files.
    const [merge, commit, unstaged, shown] = await gitSteps(
      [
        { args: [...this.identity, "merge", "--squash", "-q", task.branch] },
        ...commitSteps(this.identity, message, 1),
        { args: ["show", "--name-only", "--no-renames", "--relative", "--format=%H %T", "HEAD"], mayFail: true },
      ],
      this.missionDirectory,
    )
    if (!stepPassed(merge)) {
      const failed = stepFailure(merge, "merge")
      const unmerged = await gitValue(["diff", "--name-only", "--diff-filter=U"], this.missionDirectory)
      const files = unmerged.ok ? unmerged.value.split("\n").filter(Boolean) : []
      const detail = files.length ? await gitValue(["diff", "--no-color", "--", ...files], this.missionDirectory) : failed
      await resetWorktree(this.missionTop, before, this.fromTop(this.missionPrepared))
      if (!files.length) return { status: "error", error: failed.error }
      return { status: "conflict", files, detail: truncate(detail.ok ? detail.value : detail.error, 6000) }
    }
    const made = commitMade(commit, unstaged)
    if (made === "nothing") return { status: "merged", before, files: [] }
    faultPoint("merge:committed")
    if (made !== "committed") {
      await resetWorktree(this.missionTop, before, this.fromTop(this.missionPrepared))
      return { status: "error", error: made.error }
    }
    // The ids, a blank line, then the files.
    const [ids = "", ...files] = stepPassed(shown) ? shown.stdout.split("\n").filter(Boolean) : []
    const [head, tree] = ids.split(" ")
    this.head = head
    return { status: "merged", before, commit: head, tree, files }
  }

  taskTree(taskId: string): string | undefined {
    return this.tasks.get(taskId)?.tipTree
  }

  async undoIntegrate(before: string): Promise<Outcome<void>> {
    const reset = await resetWorktree(this.missionTop, before, this.fromTop(this.missionPrepared))
    this.head = reset.ok ? before : undefined
    return reset
  }

  /**
   * The task's slot goes back to the pool. A merged task's branch is deleted at the close, with
   * the others in one git process; an unmerged one's stays while it holds work.
   */
  async releaseTask(taskId: string, merged: boolean): Promise<void> {
    const task = this.tasks.get(taskId)
    if (!task) return
    task.merged ||= merged
    if (task.slot.taskId === taskId) task.slot.taskId = undefined
  }

  /**
   * Lands the result when sealed, then removes what the mission made. Kept: the mission branch
   * unless it landed by fast-forward or holds nothing; a task branch holding unmerged work;
   * everything, with `keep`.
   */
  async close(sealed: boolean): Promise<WorkspaceClosing> {
    const keep = this.settings.keep
    const keptBranches: string[] = []
    const keptWorktrees = keep ? this.slots.filter((slot) => slot.made).map((slot) => slot.directory) : []
    if (!keep) for (const slot of this.slots) if (slot.made) await removeWorktree(this.root, slot.top)
    const deleted: string[] = []
    for (const task of this.tasks.values()) {
      if (keep) keptBranches.push(task.branch)
      else if (task.merged) deleted.push(task.branch)
      else {
        const work = await gitValue(["rev-list", "--count", `${task.base}..${task.branch}`], this.root)
        if (work.ok && work.value !== "0") keptBranches.push(task.branch)
        else deleted.push(task.branch)
      }
    }
    if (deleted.length) await gitValue(["branch", "-D", "-q", ...deleted], this.root)
    this.tasks.clear()
    const landing = await this.land(sealed)
    const keepMissionBranch = keep || (landing.landing !== "fast-forward" && landing.landing !== "nothing")
    if (keep) keptWorktrees.push(this.missionDirectory)
    else await removeWorktree(this.root, this.missionTop, keepMissionBranch ? undefined : this.opening.branch)
    if (keepMissionBranch) keptBranches.unshift(this.opening.branch)
    await gitValue(["worktree", "prune"], this.root)
    if (!keep) {
      for (const name of poolFolders) rmSync(path.join(this.folder, name), { recursive: true, force: true })
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

/**
 * The `gitSteps` of a commit of what is staged, the commit being step `at`: the commit, then, only
 * if it fails, whether anything was staged (a worker that submits changes nothing, now and then).
 */
function commitSteps(identity: string[], message: string, at: number): GitStep[] {
  return [
    { args: [...identity, "commit", "-q", "--no-verify", "-m", message], mayFail: true },
    { args: ["diff", "--cached", "--quiet"], ifFailed: at },
  ]
}

/** What the two `commitSteps` made: a commit, nothing (nothing was staged), or why the commit failed. */
function commitMade(commit: GitStepResult | undefined, unstaged: GitStepResult | undefined): "committed" | "nothing" | { ok: false; error: string } {
  if (stepPassed(commit)) return "committed"
  return stepPassed(unstaged) ? "nothing" : stepFailure(commit, "commit")
}
