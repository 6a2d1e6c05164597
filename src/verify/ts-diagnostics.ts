// Compiler diagnostics as evidence, for TypeScript and JavaScript projects that have `typescript`
// installed and a tsconfig.json (or jsconfig.json): the project's own compiler runs (nothing is downloaded), in the
// sandbox like every verification command. A task is held to the errors it adds in the files it
// changed, against the same files at its base: an error that was already there is not its fault.
import { existsSync } from "node:fs"
import path from "node:path"
import type { Evidence } from "../mission/mission-event.js"

export interface Diagnostic {
  file: string
  line: number
  code: string
  message: string
}

/** What the evidence calls this check (the command as the reviewer reads it). */
export const diagnosticsName = "tsc --noEmit (new errors in the changed files)"

/**
 * The compiler command for `directory`, or undefined unless the project has the compiler installed
 * and a tsconfig.json (or, for JavaScript, a jsconfig.json: its `checkJs` decides what is checked).
 */
export function compilerCommand(directory: string): string | undefined {
  const tsc = path.join(directory, "node_modules", "typescript", "bin", "tsc")
  const config = ["tsconfig.json", "jsconfig.json"].find((name) => existsSync(path.join(directory, name)))
  if (!config || !existsSync(tsc)) return undefined
  // `node` from PATH, as the project's own scripts would: inside the host, process.execPath is the host's binary.
  return `node node_modules/typescript/bin/tsc --noEmit --pretty false -p ${config}`
}

/** tsc's `file(line,col): error TS1234: message` lines, continuation lines joined to their message. */
export function parseCompilerOutput(output: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line.trimEnd())
    if (match) diagnostics.push({ file: match[1]!.split(path.sep).join("/"), line: Number(match[2]), code: match[3]!, message: match[4]! })
    else if (/^\s+\S/.test(line) && diagnostics.length) diagnostics.at(-1)!.message += ` ${line.trim()}`
  }
  return diagnostics
}

const keyOf = (diagnostic: Diagnostic) => `${diagnostic.file}\0${diagnostic.code}\0${diagnostic.message}`

/**
 * The errors of `head` in `files` that `base` did not have: compared by file, code and message
 * (not line: an edit above an old error moves it), counting repeats.
 */
export function newErrors(base: Diagnostic[], head: Diagnostic[], files: string[]): Diagnostic[] {
  const changed = new Set(files.map((file) => file.split(path.sep).join("/")))
  const known = new Map<string, number>()
  for (const diagnostic of base) known.set(keyOf(diagnostic), (known.get(keyOf(diagnostic)) ?? 0) + 1)
  return head.filter((diagnostic) => {
    if (!changed.has(diagnostic.file)) return false
    const left = known.get(keyOf(diagnostic)) ?? 0
    if (left > 0) {
      known.set(keyOf(diagnostic), left - 1)
      return false
    }
    return true
  })
}

/** The evidence: passed when the change adds no error; otherwise failed, each new error a line (at most 30). */
export function diagnosticsEvidence(added: Diagnostic[], durationMs: number): Evidence {
  const lines = added.slice(0, 30).map((item) => `${item.file}(${item.line}): error ${item.code}: ${item.message}`)
  if (added.length > 30) lines.push(`… ${added.length - 30} more`)
  return {
    command: diagnosticsName,
    exitCode: added.length ? 2 : 0,
    timedOut: false,
    durationMs,
    outputHead: added.length ? `${added.length} new compiler error${added.length === 1 ? "" : "s"} in the changed files:\n${lines.join("\n")}` : "no new compiler errors in the changed files",
    outputTail: "",
  }
}
