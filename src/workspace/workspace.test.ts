import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { SharedWorkspace } from "./workspace.js"

const repo = (commit: boolean) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ws-"))
  const run = (...args: string[]) => execFileSync("git", args, { cwd: dir })
  run("init", "-q")
  writeFileSync(path.join(dir, "a.txt"), "one\n")
  if (commit) {
    run("add", "a.txt")
    run("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
  }
  return dir
}

test("the diff covers edits and new files since the mission base, without touching the user's index", async () => {
  const dir = repo(true)
  const workspace = await SharedWorkspace.open(dir, "test")
  writeFileSync(path.join(dir, "a.txt"), "two\n")
  writeFileSync(path.join(dir, "b.txt"), "new\n")
  const indexBefore = readFileSync(path.join(dir, ".git", "index"))
  const diff = await workspace.diff(["a.txt", "b.txt"])
  assert.match(diff, /-one\n\+two/)
  assert.match(diff, /new file mode[\s\S]*\+new/)
  assert.deepEqual(readFileSync(path.join(dir, ".git", "index")), indexBefore)
  assert.equal(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" }), " M a.txt\n?? b.txt\n")
})

test("a repository without commits diffs against the empty tree", async () => {
  const dir = repo(false)
  const workspace = await SharedWorkspace.open(dir, "test")
  assert.match(await workspace.diff(["a.txt"]), /\+one/)
})

test("outside git the files' contents stand in for a diff", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ws-plain-"))
  writeFileSync(path.join(dir, "a.txt"), "plain\n")
  const workspace = await SharedWorkspace.open(dir, "test")
  assert.equal(await workspace.diff(["a.txt", "gone.txt"]), "--- a.txt\nplain\n\n--- gone.txt\n(missing)")
})

test("a declared file that was never created does not hide the others' changes", async () => {
  const dir = repo(true)
  const workspace = await SharedWorkspace.open(dir, "test")
  writeFileSync(path.join(dir, "b.txt"), "new\n")
  const diff = await workspace.diff(["never-created.txt", "b.txt"])
  assert.match(diff, /\+new/)
})

test("a file deleted since the base shows as deleted", async () => {
  const dir = repo(true)
  const workspace = await SharedWorkspace.open(dir, "test")
  execFileSync("rm", [path.join(dir, "a.txt")])
  assert.match(await workspace.diff(["a.txt"]), /deleted file mode[\s\S]*-one/)
})

test("a step in the user's checkout waits out another git process's index lock, and gives up on a lock that stays", async () => {
  const { execFileSync } = await import("node:child_process")
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs")
  const os = await import("node:os")
  const path = await import("node:path")
  const { gitValueInCheckout } = await import("./git.js")
  const dir = mkdtempSync(path.join(os.tmpdir(), "index-lock-"))
  const run = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" })
  run("init", "-q", "-b", "main")
  writeFileSync(path.join(dir, "a.txt"), "a\n")
  run("add", "-A")
  run("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "a")
  run("branch", "next")
  run("checkout", "-q", "next")
  writeFileSync(path.join(dir, "b.txt"), "b\n")
  run("add", "-A")
  run("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "b")
  run("checkout", "-q", "main")
  const lock = path.join(dir, ".git", "index.lock")
  writeFileSync(lock, "")
  const stays = await gitValueInCheckout(["merge", "--ff-only", "-q", "next"], dir, 3, 10)
  assert.equal(stays.ok, false)
  assert.match(stays.ok ? "" : stays.error, /index\.lock/)
  setTimeout(() => rmSync(lock), 150)
  const waited = await gitValueInCheckout(["merge", "--ff-only", "-q", "next"], dir)
  assert.ok(waited.ok, waited.ok ? "" : waited.error)
  assert.equal(run("rev-parse", "HEAD"), run("rev-parse", "next"))
})
