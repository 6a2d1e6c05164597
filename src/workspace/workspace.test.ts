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
