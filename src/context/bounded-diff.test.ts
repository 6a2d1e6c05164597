import { test } from "node:test"
import assert from "node:assert/strict"
import { boundDiff } from "./bounded-diff.js"
import { tokenCounter } from "./token-count.js"

/** A unified diff of new files, `lines` lines each. */
function newFiles(files: Array<[string, number, string?]>): string {
  return files
    .map(([file, lines, word = "x"]) => {
      const body = Array.from({ length: lines }, (_, index) => `+const ${word}${index} = "${"padding ".repeat(6)}${index}"`).join("\n")
      return `diff --git a/${file} b/${file}\nnew file mode 100644\n--- /dev/null\n+++ b/${file}\n@@ -0,0 +1,${lines} @@\n${body}\n`
    })
    .join("")
}
const read = (file: string) => `git diff abc123 HEAD -- ${file}`

test("a 200 KB change fits the budget: the stat of everything, the task's hunks first, the rest named with the command", async () => {
  const count = await tokenCounter()
  const noise = Array.from({ length: 40 }, (_, index): [string, number] => [`vendor/blob${index}.js`, 75])
  const diff = newFiles([...noise.slice(0, 20), ["src/stats.js", 30, "median"], ...noise.slice(20)])
  assert.ok(diff.length > 200_000, `${diff.length}`)
  const bounded = boundDiff(diff, { files: ["src/stats.js"], touched: ["src/stats.js"], words: "Stats module: median of a list" }, 24_000, count, read)
  assert.ok(count(bounded.text) <= 24_000, `${count(bounded.text)} tokens`)
  assert.match(bounded.text, /^Changed: 41 files, \+3030 -0/)
  for (const [file] of noise) assert.ok(bounded.text.includes(` ${file} | +75 -0`), `${file} in the stat`)
  // The task's own file comes first, whole.
  const hunks = bounded.text.slice(bounded.text.indexOf("Hunks, most relevant first:"))
  assert.ok(hunks.indexOf("+++ b/src/stats.js") < hunks.indexOf("+++ b/vendor/"), "the task's file first")
  assert.ok(hunks.includes('+const median29 = '), "the whole hunk")
  assert.ok(bounded.omittedFiles.length > 0 && bounded.omittedFiles.every((file) => file.startsWith("vendor/")))
  assert.match(bounded.text, /Not shown for lack of room: vendor\/blob\d+\.js.*Read each with: git diff abc123 HEAD -- <file>/)
  for (const file of bounded.omittedFiles) assert.ok(bounded.text.includes(file))
})

test("a diff within the budget is shown whole, and nothing is named as left out", async () => {
  const count = await tokenCounter()
  const diff = newFiles([["src/a.js", 3], ["src/b.js", 2]])
  const bounded = boundDiff(diff, { files: [], touched: [], words: "" }, 24_000, count, read)
  assert.equal(bounded.shownHunks, 2)
  assert.deepEqual(bounded.omittedFiles, [])
  assert.doesNotMatch(bounded.text, /Not shown/)
  assert.ok(bounded.text.includes("+const x2 = "))
})

test("one hunk larger than the budget: its head is shown, marked as cut, and its file is named", async () => {
  const count = await tokenCounter()
  const diff = newFiles([["src/huge.js", 5000]])
  const bounded = boundDiff(diff, { files: ["src/huge.js"], touched: [], words: "" }, 3000, count, read)
  assert.ok(count(bounded.text) <= 3000, `${count(bounded.text)}`)
  assert.match(bounded.text, /… \(hunk cut after \d+ of 5001 lines\)/)
  assert.deepEqual(bounded.omittedFiles, ["src/huge.js"])
})
