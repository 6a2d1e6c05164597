import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { addWorktree, resetTaskWorktree, switchWorktree } from "./worktree-ops.js"

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim()

/** A repository with two commits, and a worktree of it on branch `task-a` at the first. */
function repositoryWithTree() {
  const repo = mkdtempSync(path.join(os.tmpdir(), "wt-ops-"))
  git(repo, "init", "-q", "-b", "main")
  writeFileSync(path.join(repo, "app.txt"), "one\n")
  git(repo, "add", "-A")
  git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "one")
  const first = git(repo, "rev-parse", "HEAD")
  writeFileSync(path.join(repo, "app.txt"), "two\n")
  git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "two")
  const second = git(repo, "rev-parse", "HEAD")
  const tree = path.join(repo, ".git", "trees", "1")
  execFileSync("git", ["worktree", "add", "-q", "-b", "task-a", tree, first], { cwd: repo })
  return { repo, tree, first, second }
}

test("a switched tree is clean, on its new branch at the commit, and checked so", async () => {
  const { tree, second } = repositoryWithTree()
  writeFileSync(path.join(tree, "left-over.txt"), "from the task before\n")
  writeFileSync(path.join(tree, "app.txt"), "changed\n")
  const placed = await switchWorktree(tree, "task-b", second)
  assert.ok(placed.ok && placed.value.checked.ok)
  assert.equal(git(tree, "rev-parse", "HEAD"), second)
  assert.equal(git(tree, "symbolic-ref", "--short", "HEAD"), "task-b")
  assert.equal(existsSync(path.join(tree, "left-over.txt")), false)
  assert.equal(git(tree, "status", "--porcelain"), "")
})

test("a reset tree stays on its branch; the check says when that is not the branch expected", async () => {
  const { tree, second } = repositoryWithTree()
  const placed = await resetTaskWorktree(tree, "task-a", second)
  assert.ok(placed.ok && placed.value.checked.ok)
  assert.equal(git(tree, "rev-parse", "HEAD"), second)

  // Placed, but not where the task's record says: the placement succeeds, the check does not.
  const elsewhere = await resetTaskWorktree(tree, "task-z", second)
  assert.ok(elsewhere.ok)
  assert.equal(elsewhere.value.checked.ok, false)
  assert.match(elsewhere.value.checked.ok ? "" : elsewhere.value.checked.error, /not on task-z/)
})

test("a switch that git refuses (the branch exists) is a failed placement, not a failed check", async () => {
  const { repo, tree, second } = repositoryWithTree()
  assert.ok((await addWorktree(repo, path.join(repo, ".git", "trees", "2"), "task-b", second)).ok)
  const placed = await switchWorktree(tree, "task-b", second)
  assert.equal(placed.ok, false)
})
