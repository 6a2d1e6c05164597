import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { boundedOutput, runBounded } from "./verify-run.js"
import { compilerCommand, diagnosticsEvidence, newErrors, parseCompilerOutput } from "./ts-diagnostics.js"

const output = [
  "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
  "src/b.ts(10,1): error TS2304: Cannot find name 'missing'.",
  "src/a.ts(9,2): error TS2345: Argument of type 'A' is not assignable to parameter of type 'B'.",
  "  Property 'x' is missing in type 'A'.",
  "Found 3 errors.",
].join("\n")

test("tsc's lines become diagnostics; a continuation joins its message", () => {
  const parsed = parseCompilerOutput(output)
  assert.equal(parsed.length, 3)
  assert.deepEqual(parsed[2], { file: "src/a.ts", line: 9, code: "TS2345", message: "Argument of type 'A' is not assignable to parameter of type 'B'. Property 'x' is missing in type 'A'." })
})

test("only errors the change added, in the files it changed, count; an old error that moved does not", () => {
  const base = parseCompilerOutput("src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\nsrc/b.ts(10,1): error TS2304: Cannot find name 'missing'.")
  const head = parseCompilerOutput(output.replace("src/a.ts(3,7)", "src/a.ts(5,7)"))
  assert.deepEqual(newErrors(base, head, ["src/a.ts"]).map((item) => item.code), ["TS2345"])
  assert.deepEqual(newErrors(base, head, ["src/c.ts"]), [])
  const evidence = diagnosticsEvidence(newErrors([], head, ["src/a.ts", "src/b.ts"]), 10)
  assert.equal(evidence.exitCode, 2)
  assert.match(evidence.outputHead, /^3 new compiler errors in the changed files:\nsrc\/a\.ts\(5\): error TS2322/)
  assert.equal(diagnosticsEvidence([], 5).exitCode, 0)
})

test("the project's own compiler runs on a real project; without typescript or a tsconfig there is no command", async () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "ts-diagnostics-"))
  assert.equal(compilerCommand(directory), undefined)
  mkdirSync(path.join(directory, "node_modules"))
  const typescript = path.dirname(path.dirname(fileURLToPath(import.meta.resolve("typescript"))))
  symlinkSync(typescript, path.join(directory, "node_modules", "typescript"))
  assert.equal(compilerCommand(directory), undefined, "no tsconfig.json")
  writeFileSync(path.join(directory, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ["src"] }))
  mkdirSync(path.join(directory, "src"))
  writeFileSync(path.join(directory, "src", "ok.ts"), "export const n: number = 1\n")
  writeFileSync(path.join(directory, "src", "bad.ts"), "export const s: number = 'text'\n")
  const run = await runBounded(compilerCommand(directory)!, { cwd: directory, timeoutMs: 120_000 })
  const diagnostics = parseCompilerOutput(boundedOutput(run, 4000))
  assert.deepEqual(diagnostics.map((item) => [item.file, item.code]), [["src/bad.ts", "TS2322"]], run.head)
})

test("a JavaScript project with a jsconfig.json that asks for checkJs is checked too", async () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "js-diagnostics-"))
  mkdirSync(path.join(directory, "node_modules"))
  symlinkSync(path.dirname(path.dirname(fileURLToPath(import.meta.resolve("typescript")))), path.join(directory, "node_modules", "typescript"))
  writeFileSync(path.join(directory, "jsconfig.json"), JSON.stringify({ compilerOptions: { checkJs: true, types: [] }, include: ["src"] }))
  mkdirSync(path.join(directory, "src"))
  writeFileSync(path.join(directory, "src", "bad.js"), "/** @type {number} */\nexport const n = 'text'\n")
  assert.match(compilerCommand(directory)!, /-p jsconfig\.json$/)
  const run = await runBounded(compilerCommand(directory)!, { cwd: directory, timeoutMs: 120_000 })
  assert.deepEqual(parseCompilerOutput(boundedOutput(run, 4000)).map((item) => [item.file, item.code]), [["src/bad.js", "TS2322"]], run.head)
})
