import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"

const run = (...args) => execFileSync(process.execPath, ["bin/count.js", ...args], { encoding: "utf8" })
const file = (content) => {
  const name = path.join(mkdtempSync(path.join(os.tmpdir(), "count-")), "text.txt")
  writeFileSync(name, content)
  return name
}

test("--json prints words, lines and characters", () => {
  assert.deepEqual(JSON.parse(run("--json", file("one two\nthree\n"))), { words: 3, lines: 2, characters: 14 })
})

test("the flag may come after the file", () => {
  assert.deepEqual(JSON.parse(run(file("a b"), "--json")), { words: 2, lines: 0, characters: 3 })
})

test("without the flag the output is as before", () => {
  assert.equal(run(file("a b c\n")), "3 words\n")
})
