import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { countWords } from "../src/count.js"

test("words are runs of non-space", () => {
  assert.equal(countWords("  one two\nthree "), 3)
})

test("the command prints the word count", () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "count-")), "text.txt")
  writeFileSync(file, "a b c\n")
  assert.equal(execFileSync(process.execPath, ["bin/count.js", file], { encoding: "utf8" }), "3 words\n")
})
