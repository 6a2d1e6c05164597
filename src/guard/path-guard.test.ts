import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { pathOutside } from "./path-guard.js"

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
