import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { astGrepRewrite, astGrepSearch, searchLimits, SyntaxToolError } from "./ast-grep-tools.js"

function project(files: Record<string, string>, repository = true): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), "ast-grep-"))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true })
    writeFileSync(path.join(directory, file), text)
  }
  if (repository) execFileSync("git", ["init", "-q"], { cwd: directory })
  return directory
}

const polyglot = {
  "src/a.ts": "export function total(items: number[]): number {\n  return items.reduce((sum, item) => sum + item, 0)\n}\nconsole.log(total([1, 2]))\n",
  "src/b.js": "const { total } = require('./a')\nconsole.log(total([3]))\n// console.log(total(in a comment))\n",
  "tool/calc.py": "def total(items):\n    return sum(items)\n\nprint(total([1, 2]))\n",
  "cmd/main.go": "package main\n\nimport \"fmt\"\n\nfunc Total(items []int) int { return len(items) }\n\nfunc main() { fmt.Println(Total(nil)) }\n",
  "core/lib.rs": "pub fn total(items: &[i32]) -> i32 { items.iter().sum() }\nfn main() { println!(\"{}\", total(&[1])); }\n",
  "app/Calc.java": "public class Calc { public static int total(int[] items) { return items.length; } public static void main(String[] a) { System.out.println(total(new int[0])); } }\n",
}

test("a pattern matches syntax, in every language of the project, not text in comments", async () => {
  const directory = project(polyglot)
  const calls = await astGrepSearch({ directory, pattern: "console.log($ARG)" })
  assert.match(calls, /^2 matches in 2 files:/)
  assert.match(calls, /src\/a\.ts:4:1: console\.log\(total\(\[1, 2\]\)\)/)
  assert.doesNotMatch(calls, /in a comment/)
  assert.match(await astGrepSearch({ directory, pattern: "def $F($$$P):\n    $$$B", lang: "python" }), /tool\/calc\.py:1:1: def total\(items\): … \(2 lines\)/)
  assert.match(await astGrepSearch({ directory, pattern: "func $F($$$P) int { $$$B }", lang: "go" }), /cmd\/main\.go:5:1: func Total/)
  assert.match(await astGrepSearch({ directory, pattern: "pub fn $F($$$P) -> $R { $$$B }", lang: "rs" }), /core\/lib\.rs:1:1: pub fn total/)
  assert.match(await astGrepSearch({ directory, pattern: "System.out.println($X)", lang: "java" }), /app\/Calc\.java:1:\d+: System\.out\.println\(total\(new int\[0\]\)\)/)
  assert.equal(await astGrepSearch({ directory, pattern: "total($A)", paths: ["tool"] }), "1 match in 1 file:\ntool/calc.py:4:7: total([1, 2])")
})

test("results are bounded, and what was left out is counted", async () => {
  const many = Array.from({ length: 300 }, (_, index) => `call(${index})`).join("\n")
  const directory = project({ "one.js": many, "two.js": many })
  const result = await astGrepSearch({ directory, pattern: "call($N)" })
  const lines = result.split("\n")
  assert.equal(lines[0], "600 matches in 2 files:")
  assert.equal(lines.length, searchLimits.matches + 2)
  assert.match(lines.at(-1)!, new RegExp(`^… ${600 - searchLimits.matches} more matches \\(1 more file\\) not shown; narrow with paths`))
  assert.ok(result.length < searchLimits.bytes + 200)
})

test("an invalid pattern, an unknown language or a path outside is a clear error", async () => {
  const directory = project(polyglot)
  await assert.rejects(astGrepSearch({ directory, pattern: "total($A", lang: "ts" }), (error: Error) => error instanceof SyntaxToolError && /invalid pattern: the pattern is not valid TypeScript code near/.test(error.message))
  await assert.rejects(astGrepSearch({ directory, pattern: "a b c", lang: "js" }), /invalid pattern: .*JavaScript/)
  await assert.rejects(astGrepSearch({ directory, pattern: "x", lang: "cobol" }), /unknown lang "cobol"; known: TypeScript, Tsx, JavaScript, Css, Html, python, go, rust, java/)
  await assert.rejects(astGrepSearch({ directory, pattern: "x", paths: ["../elsewhere"] }), /\.\.\/elsewhere is outside the task's directory/)
})

test("a file linked from outside the directory is not read; outside a repository the walk skips dependencies", async () => {
  const outside = project({ "secret.ts": "const token = 'hunter2'\n" }, false)
  const directory = project({ "src/ok.ts": "const token = 'fine'\n", "node_modules/dep/index.ts": "const token = 'dep'\n" }, false)
  symlinkSync(path.join(outside, "secret.ts"), path.join(directory, "src", "linked.ts"))
  const result = await astGrepSearch({ directory, pattern: "const token = $V" })
  assert.equal(result, "1 match in 1 file:\nsrc/ok.ts:1:1: const token = 'fine'")
})

test("a rewrite renames a function at every call, arguments kept; a dry run changes nothing; the guard's refusals are honoured", async () => {
  const directory = project({
    "src/math.ts": "export function add(a: number, b: number) {\n  return a + b\n}\n",
    "src/use.ts": "import { add } from './math'\nexport const three = add(1, 2)\nexport const nested = add(add(1, 2), 3)\nconst text = 'add(1, 2)'\n",
    "src/locked.ts": "add(9, 9)\n",
  })
  const refuseWrite = (file: string) => (file === "src/locked.ts" ? "locked for the test" : undefined)
  const dry = await astGrepRewrite({ directory, pattern: "add($$$ARGS)", rewrite: "sum($$$ARGS)", dryRun: true, refuseWrite })
  assert.match(dry.text, /^Would rewrite \d+ match(es)? in 1 file: src\/use\.ts\./)
  assert.match(dry.text, /Not written \(refused\): src\/locked\.ts: locked for the test/)
  assert.deepEqual(dry.changed, [])
  assert.match(readFileSync(path.join(directory, "src/use.ts"), "utf8"), /= add\(1, 2\)/)

  const done = await astGrepRewrite({ directory, pattern: "add($$$ARGS)", rewrite: "sum($$$ARGS)", refuseWrite })
  assert.deepEqual(done.changed, ["src/use.ts"])
  const use = readFileSync(path.join(directory, "src/use.ts"), "utf8")
  assert.match(use, /export const three = sum\(1, 2\)/)
  assert.match(use, /export const nested = sum\(add\(1, 2\), 3\)/, "the outer call; the inner one is counted for another run")
  assert.match(done.text, /1 match inside another left as they were: run the rewrite again/)
  await astGrepRewrite({ directory, pattern: "add($$$ARGS)", rewrite: "sum($$$ARGS)", refuseWrite })
  assert.match(readFileSync(path.join(directory, "src/use.ts"), "utf8"), /export const nested = sum\(sum\(1, 2\), 3\)/)
  assert.match(use, /const text = 'add\(1, 2\)'/, "a string is not code")
  assert.equal(readFileSync(path.join(directory, "src/locked.ts"), "utf8"), "add(9, 9)\n")
  const declaration = await astGrepRewrite({ directory, pattern: "export function add($$$P) { $$$B }", rewrite: "export function sum($$$P) { $$$B }", refuseWrite })
  assert.deepEqual(declaration.changed, ["src/math.ts"])
  assert.match(readFileSync(path.join(directory, "src/math.ts"), "utf8"), /^export function sum\(a: number, b: number\) \{\s+return a \+ b\s*\}/)
})
