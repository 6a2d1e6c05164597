// What a change did to the code's structure, computed from the syntax trees of base and head:
// declarations added, removed, or whose signature changed. Reviewers and the master reviewer get
// it beside the diff, so a renamed export or a changed parameter list is named, not inferred.
import { codeSymbols, type CodeSymbol } from "./code-symbols.js"
import { languageOfFile } from "./syntax-engine.js"
import type { FileVersions } from "../workspace/file-versions.js"

const keyOf = (symbol: CodeSymbol) => `${symbol.container ? `${symbol.container}.` : ""}${symbol.name}`
const label = (symbol: CodeSymbol) => `${symbol.exported ? "exported " : ""}${symbol.kind} ${keyOf(symbol)}`

/** The structural changes of one file, a line each; empty when the engine does not read the language or nothing structural changed. */
export function fileStructureChanges(change: FileVersions): string[] {
  const language = languageOfFile(change.file)
  if (!language) return []
  let before: CodeSymbol[]
  let after: CodeSymbol[]
  try {
    before = change.before === undefined ? [] : codeSymbols(language, change.before)
    after = change.after === undefined ? [] : codeSymbols(language, change.after)
  } catch {
    return []
  }
  const old = new Map(before.map((symbol) => [keyOf(symbol), symbol]))
  const now = new Map(after.map((symbol) => [keyOf(symbol), symbol]))
  const lines: string[] = []
  for (const [key, symbol] of now) {
    const was = old.get(key)
    if (!was) lines.push(`added ${label(symbol)}: ${symbol.signature}`)
    else if (was.signature !== symbol.signature) lines.push(`signature of ${label(symbol)}: ${was.signature} → ${symbol.signature}`)
    else if (was.exported !== symbol.exported) lines.push(`${symbol.exported ? "now exported" : "no longer exported"}: ${symbol.kind} ${key}`)
  }
  for (const [key, symbol] of old) if (!now.has(key)) lines.push(`removed ${label(symbol)}`)
  return lines
}

/** The summary for a set of changed files: per file, its structural changes; undefined when there are none. */
export function structuralSummary(changes: FileVersions[], maxLines = 60): string | undefined {
  const lines: string[] = []
  let more = 0
  for (const change of changes) {
    const changed = fileStructureChanges(change)
    if (!changed.length) continue
    const state = change.before === undefined ? " (new file)" : change.after === undefined ? " (deleted)" : ""
    for (const [index, line] of [`${change.file}${state}:`, ...changed.map((item) => `  - ${item}`)].entries()) {
      if (lines.length < maxLines) lines.push(line)
      else if (index > 0) more++
    }
  }
  if (!lines.length) return undefined
  if (more) lines.push(`… ${more} more structural change${more === 1 ? "" : "s"}`)
  return lines.join("\n")
}
