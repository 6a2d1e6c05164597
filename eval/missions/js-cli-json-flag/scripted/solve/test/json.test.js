import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"

test("--json prints the counts", () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "count-")), "text.txt")
  writeFileSync(file, "a b\nc")
  const counts = JSON.parse(execFileSync(process.execPath, ["bin/count.js", "--json", file], { encoding: "utf8" }))
  assert.equal(counts.words, 3)
  assert.equal(counts.characters, 5)
})
