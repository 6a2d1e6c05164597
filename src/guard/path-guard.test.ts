import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { isInside, patchedFiles, pathOutside } from "./path-guard.js"

test("writes stay inside the task's directory: traversal, absolute paths and symlinks leading out are refused", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "path-guard-"))
  const directory = path.join(root, "task")
  mkdirSync(path.join(directory, "src"), { recursive: true })
  mkdirSync(path.join(root, "elsewhere"))
  symlinkSync(path.join(root, "elsewhere"), path.join(directory, "link-out"))
  symlinkSync(path.join(directory, "src"), path.join(directory, "link-in"))

  for (const ok of ["src/a.js", "./src/new/deep/b.js", path.join(directory, "c.txt"), "link-in/d.js", "src/../e.js"]) assert.equal(pathOutside(directory, ok), undefined, ok)
  assert.match(pathOutside(directory, "../../etc/passwd")!, /outside/)
  assert.match(pathOutside(directory, "/etc/passwd")!, /outside/)
  assert.match(pathOutside(directory, "src/../../x")!, /outside/)
  assert.match(pathOutside(directory, "link-out/f.js")!, /symlink/)
  assert.match(pathOutside(directory, "link-out/new/g.js")!, /symlink/)
  assert.match(pathOutside(directory, "a\0b")!, /NUL/)
})

test("a dangling symlink, or a chain of links ending in one, is followed to where the write would land", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "path-guard-dangling-"))
  const directory = path.join(root, "task")
  mkdirSync(directory)
  symlinkSync(path.join(root, "not-yet", "created.txt"), path.join(directory, "dangling"))
  symlinkSync("dangling", path.join(directory, "chain"))
  symlinkSync(path.join(directory, "inside-new.txt"), path.join(directory, "dangling-in"))
  symlinkSync("loop-b", path.join(directory, "loop-a"))
  symlinkSync("loop-a", path.join(directory, "loop-b"))
  assert.match(pathOutside(directory, "dangling")!, /symlink/)
  assert.match(pathOutside(directory, "chain")!, /symlink/)
  assert.equal(pathOutside(directory, "dangling-in"), undefined)
  assert.notEqual(pathOutside(directory, "loop-a/x"), undefined, "a loop is not taken for a folder inside")
})

test("git's files are never the task's; in the user's checkout neither are the host's config and the mission's files", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "path-guard-git-"))
  mkdirSync(path.join(root, ".git", "hooks"), { recursive: true })
  writeFileSync(path.join(root, "sub.git"), "")
  for (const file of [".git", ".git/hooks/pre-commit", "vendor/lib/.git/config", "./.git/../.git/config"]) assert.match(pathOutside(root, file)!, /\.git/, file)
  for (const file of [".opencode/plugin/x.ts", ".opencode/orchestrator/m-1/journal.jsonl", "opencode.json", "opencode.jsonc"]) {
    assert.match(pathOutside(root, file, { userCheckout: true })!, /not the task's/, file)
    assert.equal(pathOutside(root, file), undefined, `${file} in a worktree is the task's`)
  }
  for (const ok of [".gitignore", "docs/.github/x.md", "sub.git", "..cache/x", "a/..b/c"]) assert.equal(pathOutside(root, ok, { userCheckout: true }), undefined, ok)
  assert.equal(isInside(root, path.join(root, "..cache")), true)
})

test("a very long path is refused at once, not resolved component by component", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "path-guard-long-"))
  const started = Date.now()
  assert.match(pathOutside(root, "a/".repeat(50_000))!, /longer/)
  assert.match(pathOutside(root, `${"n".repeat(300)}.txt`)!, /longer/)
  assert.ok(Date.now() - started < 5_000)
})

test("apply_patch names its files: added, updated, moved and deleted", () => {
  const patch = "*** Begin Patch\n*** Add File: src/new.js\n+x\n*** Update File: src/old.js\n*** Move to: ../outside.js\n@@\n-a\n+b\n*** Delete File: src/gone.js\n*** End Patch"
  assert.deepEqual(patchedFiles(patch), ["src/new.js", "src/old.js", "../outside.js", "src/gone.js"])
})
