import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { WorktreeWorkspace, type WorktreeSettings } from "./worktree-workspace.js"

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim()

function repository(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wt-unit-"))
  git(dir, "init", "-q", "-b", "main")
  writeFileSync(path.join(dir, "app.txt"), "one\ntwo\nthree\n")
  writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n")
  git(dir, "add", "-A")
  git(dir, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
  mkdirSync(path.join(dir, "node_modules", "dep"), { recursive: true })
  writeFileSync(path.join(dir, "node_modules", "dep", "index.js"), "module.exports = 1\n")
  return dir
}

const settings = (overrides: Partial<WorktreeSettings> = {}): WorktreeSettings => ({
  includeUncommitted: true,
  land: "auto",
  keep: false,
  preparation: { link: ["node_modules"], copy: [".env"], setup: [], setupTimeoutMs: 10_000 },
  ...overrides,
})

async function open(root: string, overrides?: Partial<WorktreeSettings>) {
  const opened = await WorktreeWorkspace.open(root, "m-test", settings(overrides))
  assert.ok(opened.ok, opened.ok ? "" : opened.error)
  return opened.value
}

test("a task's worktree is prepared, its commit leaves the prepared link out, and a failed merge is undone keeping the mission's link", async () => {
  const root = repository()
  const workspace = await open(root)
  const task = await workspace.openTask("A")
  assert.ok(task.ok)
  assert.ok(lstatSync(path.join(task.value.directory, "node_modules")).isSymbolicLink())
  writeFileSync(path.join(task.value.directory, "app.txt"), "one\nTWO\nthree\n")
  const commit = await workspace.commitTask("A", "A: shout two")
  assert.ok(commit.ok)
  assert.deepEqual(commit.value.files, ["app.txt"], "the node_modules link is not committed")
  const merged = await workspace.integrate("A", "A: shout two")
  assert.equal(merged.status, "merged")
  assert.ok(merged.status === "merged" && (await workspace.undoIntegrate(merged.before)).ok)
  assert.equal(readFileSync(path.join(workspace.missionDirectory, "app.txt"), "utf8"), "one\ntwo\nthree\n")
  assert.ok(existsSync(path.join(workspace.missionDirectory, "node_modules", "dep", "index.js")), "the prepared link survived the undo")
  const closing = await workspace.close(false)
  assert.deepEqual(closing.keptBranches, ["orchestrator/m-test-task-A"], "unmerged work on a task branch is kept")
  assert.equal(git(root, "worktree", "list").split("\n").length, 1)
})

/** Opens task `id`, writes `content` to `file` in its tree, commits it and merges it: the tree, still held. */
async function mergedChange(workspace: Awaited<ReturnType<typeof open>>, id: string, file: string, content: string): Promise<string> {
  const task = await workspace.openTask(id)
  assert.ok(task.ok)
  writeFileSync(path.join(task.value.directory, file), content)
  await workspace.commitTask(id, id)
  assert.equal((await workspace.integrate(id, `${id}: ${file}`)).status, "merged")
  return task.value.directory
}

test("landing: a HEAD that moved during the mission keeps the branch and names the merge command", async () => {
  const root = repository()
  const workspace = await open(root)
  await mergedChange(workspace, "A", "new.txt", "new\n")
  await workspace.releaseTask("A", true)
  git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "the user moved on")
  const closing = await workspace.close(true)
  assert.equal(closing.landing, "branch")
  assert.match(closing.detail, /HEAD moved/)
  assert.equal(closing.command, "git merge orchestrator/m-test")
  assert.equal(existsSync(path.join(root, "new.txt")), false)
  assert.equal(git(root, "branch", "--format=%(refname:short)"), "main\norchestrator/m-test")
})

test("landing over uncommitted changes: a file the user changed again since the start is never overwritten", async () => {
  const root = repository()
  writeFileSync(path.join(root, "app.txt"), "one\ntwo\nthree\nmine\n")
  const workspace = await open(root)
  assert.equal(workspace.opening.uncommitted, "included")
  const task = await workspace.openTask("A")
  assert.ok(task.ok)
  assert.equal(readFileSync(path.join(task.value.directory, "app.txt"), "utf8"), "one\ntwo\nthree\nmine\n")
  writeFileSync(path.join(task.value.directory, "app.txt"), "ONE\ntwo\nthree\nmine\n")
  await workspace.commitTask("A", "A")
  assert.equal((await workspace.integrate("A", "A: shout one")).status, "merged")
  writeFileSync(path.join(root, "app.txt"), "one\ntwo\nthree\nmine, edited during the mission\n")
  const closing = await workspace.close(true)
  assert.equal(closing.landing, "branch")
  assert.match(closing.detail, /app\.txt/)
  assert.match(closing.command!, /^git cherry-pick [0-9a-f]{12}\.\.orchestrator\/m-test$/)
  assert.equal(readFileSync(path.join(root, "app.txt"), "utf8"), "one\ntwo\nthree\nmine, edited during the mission\n")
})

test("opening refuses an existing mission branch and leaves nothing behind", async () => {
  const root = repository()
  git(root, "branch", "orchestrator/m-test")
  const opened = await WorktreeWorkspace.open(root, "m-test", settings())
  assert.equal(opened.ok, false)
  assert.match(opened.ok ? "" : opened.error, /cannot create the mission worktree: git worktree failed: .*already exists/)
  assert.equal(git(root, "worktree", "list").split("\n").length, 1)
})

test("reopened after a kill inside `git worktree add` (entry locked, folder without .git): the task's worktree is made again", async () => {
  const root = repository()
  const workspace = await open(root)
  const task = await workspace.openTask("A")
  assert.ok(task.ok)
  // What a SIGKILL between git's steps leaves: the entry still locked "initializing", the folder half made.
  const entries = path.join(git(root, "rev-parse", "--path-format=absolute", "--git-common-dir"), "worktrees")
  const entry = readdirSync(entries).find((name) => readFileSync(path.join(entries, name, "gitdir"), "utf8").startsWith(task.value.directory))!
  writeFileSync(path.join(entries, entry, "locked"), "initializing")
  rmSync(path.join(task.value.directory, ".git"))
  const reopened = await WorktreeWorkspace.reopen(root, "m-test", workspace.opening, [], settings())
  assert.ok(reopened.ok, reopened.ok ? "" : reopened.error)
  const again = await reopened.value.openTask("A")
  assert.ok(again.ok, again.ok ? "" : again.error)
  await reopened.value.close(false)
  assert.equal(git(root, "worktree", "list").split("\n").length, 1, git(root, "worktree", "list"))
  assert.equal(git(root, "branch", "--format=%(refname:short)"), "main")
})

test("reopened after a kill mid-merge (git's index.lock and the branch's ref lock left behind): the stale locks are cleared and the mission goes on", async () => {
  const root = repository()
  const workspace = await open(root)
  const missionGitDir = git(workspace.missionDirectory, "rev-parse", "--path-format=absolute", "--git-dir")
  const refLock = path.join(git(root, "rev-parse", "--path-format=absolute", "--git-common-dir"), "refs", "heads", "orchestrator", "m-test.lock")
  writeFileSync(path.join(missionGitDir, "index.lock"), "")
  writeFileSync(refLock, "")
  const reopened = await WorktreeWorkspace.reopen(root, "m-test", workspace.opening, [], settings())
  assert.ok(reopened.ok, reopened.ok ? "" : reopened.error)
  assert.equal(existsSync(path.join(missionGitDir, "index.lock")), false)
  assert.equal(existsSync(refLock), false)
  const task = await reopened.value.openTask("A")
  assert.ok(task.ok, task.ok ? "" : task.error)
  writeFileSync(path.join(task.value.directory, "app.txt"), "one\ntwo\nthree\nfour\n")
  const committed = await reopened.value.commitTask("A", "A: four")
  assert.ok(committed.ok, committed.ok ? "" : committed.error)
  const merged = await reopened.value.integrate("A", "Merge A")
  assert.equal(merged.status, "merged", JSON.stringify(merged))
  await reopened.value.close(false)
})

test("a released worktree is switched to the next task in place: on the new head, the untracked leftovers gone, the prepared link kept; the first task's change still reads from its branch", async () => {
  const root = repository()
  const workspace = await open(root)
  const firstDirectory = await mergedChange(workspace, "A", "app.txt", "one\nTWO\nthree\n")
  writeFileSync(path.join(firstDirectory, "untracked.txt"), "after the commit\n")
  // B opens while A still holds its tree: a second slot.
  const second = await workspace.openTask("B")
  assert.ok(second.ok)
  assert.notEqual(second.value.directory, firstDirectory)
  await workspace.releaseTask("A", true)
  const third = await workspace.openTask("C")
  assert.ok(third.ok)
  assert.equal(third.value.directory, firstDirectory, "C reuses A's directory")
  assert.equal(third.value.branch, "orchestrator/m-test-task-C")
  assert.equal(git(third.value.directory, "symbolic-ref", "HEAD"), "refs/heads/orchestrator/m-test-task-C")
  assert.equal(readFileSync(path.join(third.value.directory, "app.txt"), "utf8"), "one\nTWO\nthree\n", "on the head A was merged into")
  assert.equal(existsSync(path.join(third.value.directory, "untracked.txt")), false)
  assert.ok(lstatSync(path.join(third.value.directory, "node_modules")).isSymbolicLink())
  assert.match(await workspace.taskDiff("A", []), /^\+TWO$/m, "A's diff reads from its branch")
  assert.deepEqual(await workspace.changeVersions("A"), [{ file: "app.txt", before: "one\ntwo\nthree\n", after: "one\nTWO\nthree\n" }])
  await workspace.releaseTask("B", false)
  await workspace.releaseTask("C", false)
  const closing = await workspace.close(true)
  assert.equal(closing.landing, "fast-forward")
  assert.deepEqual(closing.keptBranches, [])
  assert.equal(git(root, "worktree", "list").split("\n").length, 1)
  assert.equal(git(root, "branch", "--format=%(refname:short)"), "main")
})

test("the review tree is a free slot at the mission's head with no branch, its leftovers gone; the next task switches it to its own branch", async () => {
  const root = repository()
  const workspace = await open(root)
  assert.equal(await workspace.openReviewTree(), workspace.missionDirectory, "no slot yet: the mission's tree")
  const slot = await mergedChange(workspace, "A", "app.txt", "one\nTWO\nthree\n")
  writeFileSync(path.join(slot, "untracked.txt"), "left by A\n")
  assert.equal(await workspace.openReviewTree(), workspace.missionDirectory, "A still holds its tree")
  await workspace.releaseTask("A", true)
  const review = await workspace.openReviewTree()
  assert.equal(review, slot)
  assert.equal(git(review, "rev-parse", "HEAD"), await workspace.missionHead())
  assert.equal(git(review, "rev-parse", "--abbrev-ref", "HEAD"), "HEAD", "no branch")
  assert.equal(readFileSync(path.join(review, "app.txt"), "utf8"), "one\nTWO\nthree\n")
  assert.equal(existsSync(path.join(review, "untracked.txt")), false)
  assert.ok(lstatSync(path.join(review, "node_modules")).isSymbolicLink(), "the prepared link kept")
  const next = await workspace.openTask("B")
  assert.ok(next.ok, next.ok ? "" : next.error)
  assert.equal(next.value.directory, slot)
  assert.equal(git(slot, "symbolic-ref", "HEAD"), "refs/heads/orchestrator/m-test-task-B")
  await workspace.releaseTask("B", false)
  assert.equal((await workspace.close(true)).landing, "fast-forward")
  assert.equal(git(root, "worktree", "list").split("\n").length, 1)
})

test("a review tree git cannot switch (a lock left in the slot): the mission's tree instead, and the slot still takes the next task", async () => {
  const root = repository()
  const workspace = await open(root)
  const slot = await mergedChange(workspace, "A", "app.txt", "one\nTWO\nthree\n")
  await workspace.releaseTask("A", true)
  const lock = path.join(git(slot, "rev-parse", "--absolute-git-dir"), "index.lock")
  writeFileSync(lock, "")
  assert.equal(await workspace.openReviewTree(), workspace.missionDirectory)
  rmSync(lock)
  const next = await workspace.openTask("B")
  assert.ok(next.ok, next.ok ? "" : next.error)
  assert.equal(next.value.directory, slot)
  assert.equal(git(slot, "symbolic-ref", "HEAD"), "refs/heads/orchestrator/m-test-task-B")
  await workspace.releaseTask("B", false)
  await workspace.close(true)
})

test("a moved file is listed by both paths with both versions; a submission that changed nothing makes no commit; a branch with nothing new merges as nothing, without an empty commit", async () => {
  const root = repository()
  const workspace = await open(root)
  const task = await workspace.openTask("A")
  assert.ok(task.ok)
  git(task.value.directory, "mv", "app.txt", "moved.txt")
  const moved = await workspace.commitTask("A", "A: move")
  assert.ok(moved.ok && moved.value.commit)
  assert.deepEqual(moved.value.files, ["app.txt", "moved.txt"])
  assert.deepEqual(await workspace.changeVersions("A"), [
    { file: "app.txt", before: "one\ntwo\nthree\n", after: undefined },
    { file: "moved.txt", before: undefined, after: "one\ntwo\nthree\n" },
  ])
  const again = await workspace.commitTask("A", "A: nothing more")
  assert.ok(again.ok)
  assert.equal(again.value.commit, undefined, "nothing staged, nothing committed")
  assert.deepEqual(again.value.files, ["app.txt", "moved.txt"], "still the task's files so far")
  const merged = await workspace.integrate("A", "A: move")
  assert.ok(merged.status === "merged" && merged.commit)
  assert.deepEqual(merged.files, ["app.txt", "moved.txt"])
  assert.equal(await workspace.missionHead(), git(workspace.missionDirectory, "rev-parse", "HEAD"))
  // B's branch holds nothing the mission branch lacks (it starts at its head): the squash stages nothing.
  await workspace.releaseTask("A", true)
  const other = await workspace.openTask("B")
  assert.ok(other.ok)
  const head = await workspace.missionHead()
  const same = await workspace.integrate("B", "B: nothing")
  assert.deepEqual(same, { status: "merged", before: head, files: [] })
  assert.equal(git(workspace.missionDirectory, "rev-parse", "HEAD"), head, "no empty commit")
  await workspace.releaseTask("B", false)
  await workspace.close(false)
})
