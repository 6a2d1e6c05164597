// Structural search and rewrite over a task's directory (the `ast_grep_search` and
// `ast_grep_rewrite` tools): a pattern is code with metavariables (`$NAME` one node, `$$$NAME` any
// number), matched on syntax trees, never on text. Results are bounded in matches and bytes.
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import type { SgNode } from "@ast-grep/napi"
import { groupBy } from "../collections/group-by.js"
import { sourceFiles } from "./source-files.js"
import { languageNamed, languageNames, languageOfFile, patternProblem, syntaxEngine, type SyntaxLanguage } from "./syntax-engine.js"

/** A refusal the model can act on: an unknown language, an invalid pattern, a path outside. */
export class SyntaxToolError extends Error {
  constructor(reason: string) {
    super(`${reason}.`)
  }
}

export interface SyntaxQuery {
  directory: string
  pattern: string
  lang?: string
  paths?: string[]
}

export const searchLimits = { matches: 60, bytes: 8000, lineChars: 160 }

interface FileMatches {
  file: string
  language: SyntaxLanguage
  source: string
  nodes: SgNode[]
}

/** Every file of the query's languages that has a match, in path order. */
async function matchFiles(query: SyntaxQuery): Promise<FileMatches[]> {
  const { astGrep } = syntaxEngine()
  const wanted = query.lang === undefined ? undefined : languageNamed(query.lang)
  if (query.lang !== undefined && !wanted) throw new SyntaxToolError(`unknown lang ${JSON.stringify(query.lang)}; known: ${languageNames().join(", ")}`)
  const listed = await sourceFiles(query.directory, query.paths ?? [])
  if (!listed.ok) throw new SyntaxToolError(listed.error)
  const byLanguage = groupBy(listed.value, (file) => {
    const language = languageOfFile(file)
    return language && (!wanted || language === wanted) ? language : undefined
  })
  if (wanted && !byLanguage.size) return []
  // The pattern must be valid in the languages searched: in the one named, or in at least one of those found.
  const problems = new Map([...(wanted ? [wanted] : byLanguage.keys())].map((language) => [language, patternProblem(language, query.pattern)]))
  const valid = [...problems].filter(([, problem]) => !problem).map(([language]) => language)
  if (!valid.length) {
    const [language, problem] = [...problems][0] ?? [undefined, undefined]
    throw new SyntaxToolError(language ? `invalid pattern: ${problem}` : "no source files the syntax engine reads under the given paths")
  }
  const found: FileMatches[] = []
  for (const language of valid) {
    const files = byLanguage.get(language) ?? []
    // Parsed off the main thread, a batch at a time: the host's event loop keeps going.
    for (let start = 0; start < files.length; start += 32) {
      const batch = await Promise.all(
        files.slice(start, start + 32).map(async (file) => {
          const source = readFileSync(path.join(query.directory, file), "utf8")
          if (!source.includes(literalHint(query.pattern))) return undefined
          const nodes = (await astGrep.parseAsync(language.name, source)).root().findAll(query.pattern)
          return nodes.length ? { file, language, source, nodes } : undefined
        }),
      )
      for (const item of batch) if (item) found.push(item)
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file))
}

/** The longest run of plain word characters in the pattern, which any match must contain: files without it are not parsed. */
function literalHint(pattern: string): string {
  const words = pattern.replace(/\$\$?\$?[A-Z_][A-Z0-9_]*/g, " ").match(/[A-Za-z_][\w]*/g) ?? []
  return words.sort((a, b) => b.length - a.length)[0] ?? ""
}

function matchLine(file: string, node: SgNode): string {
  const { start, end } = node.range()
  const [first, ...rest] = node.text().split("\n")
  const text = first!.trim().slice(0, searchLimits.lineChars)
  return `${file}:${start.line + 1}:${start.column + 1}: ${text}${rest.length ? ` … (${end.line - start.line + 1} lines)` : ""}`
}

/** `ast_grep_search`: one line per match (path:line:column and the match's first line), at most `searchLimits`, then what was left out. */
export async function astGrepSearch(query: SyntaxQuery): Promise<string> {
  const found = await matchFiles(query)
  const total = found.reduce((sum, item) => sum + item.nodes.length, 0)
  if (!total) return "No matches."
  const lines: string[] = []
  let bytes = 0
  const shownFiles = new Set<string>()
  outer: for (const item of found)
    for (const node of item.nodes) {
      const line = matchLine(item.file, node)
      if (lines.length >= searchLimits.matches || bytes + line.length > searchLimits.bytes) break outer
      lines.push(line)
      bytes += line.length + 1
      shownFiles.add(item.file)
    }
  const more = total - lines.length
  const files = found.length
  const header = `${total} match${total === 1 ? "" : "es"} in ${files} file${files === 1 ? "" : "s"}:`
  const hiddenFiles = files - shownFiles.size
  const rest = more ? [`… ${more} more match${more === 1 ? "" : "es"}${hiddenFiles ? ` (${hiddenFiles} more file${hiddenFiles === 1 ? "" : "s"})` : ""} not shown; narrow with paths, lang or a more specific pattern`] : []
  return [header, ...lines, ...rest].join("\n")
}

/** The rewrite template with its metavariables replaced by what they matched (`$$$NAME`: the source from its first node to its last). */
export function fillTemplate(node: SgNode, source: string, template: string): string {
  return template.replace(/\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)/g, (whole, many: string | undefined, one: string | undefined) => {
    if (many) {
      const nodes = node.getMultipleMatches(many)
      return nodes.length ? source.slice(nodes[0]!.range().start.index, nodes.at(-1)!.range().end.index) : ""
    }
    return node.getMatch(one!)?.text() ?? whole
  })
}

export interface RewriteQuery extends SyntaxQuery {
  rewrite: string
  dryRun?: boolean
  /** Why a file may not be written (the path guard), or undefined. */
  refuseWrite: (file: string) => string | undefined
}

export interface RewriteResult {
  text: string
  /** Files written (none on a dry run), relative to the directory. */
  changed: string[]
}

/** `ast_grep_rewrite`: every match replaced by the filled template, file by file; a dry run shows what would change. */
export async function astGrepRewrite(query: RewriteQuery): Promise<RewriteResult> {
  const found = await matchFiles(query)
  if (!found.length) return { text: "No matches: nothing to rewrite.", changed: [] }
  const changed: string[] = []
  const refused: string[] = []
  const preview: string[] = []
  let replacements = 0
  let nested = 0
  let previewBytes = 0
  for (const item of found) {
    const refusal = query.refuseWrite(item.file)
    if (refusal) {
      refused.push(`${item.file}: ${refusal}`)
      continue
    }
    const root = item.nodes[0]!.getRoot().root()
    // A match inside another is not edited this time (its text is inside the outer one's): counted, for another run.
    const outermost: SgNode[] = []
    for (const node of [...item.nodes].sort((a, b) => a.range().start.index - b.range().start.index))
      if (!outermost.length || node.range().start.index >= outermost.at(-1)!.range().end.index) outermost.push(node)
    nested += item.nodes.length - outermost.length
    const edits = outermost.map((node) => node.replace(fillTemplate(node, item.source, query.rewrite)))
    const next = root.commitEdits(edits)
    if (next === item.source) continue
    replacements += edits.length
    for (const [index, node] of outermost.entries()) {
      if (previewBytes > searchLimits.bytes) break
      const entry = `${item.file}:${node.range().start.line + 1}\n- ${node.text().split("\n")[0]!.trim().slice(0, searchLimits.lineChars)}\n+ ${edits[index]!.insertedText.split("\n")[0]!.trim().slice(0, searchLimits.lineChars)}`
      preview.push(entry)
      previewBytes += entry.length + 1
    }
    if (!query.dryRun) writeFileSync(path.join(query.directory, item.file), next)
    changed.push(item.file)
  }
  const verb = query.dryRun ? "Would rewrite" : "Rewrote"
  const summary = `${verb} ${replacements} match${replacements === 1 ? "" : "es"} in ${changed.length} file${changed.length === 1 ? "" : "s"}${changed.length ? `: ${changed.join(", ")}` : ""}.`
  const notes = [...(refused.length ? [`Not written (refused): ${refused.join("; ")}`] : []), ...(nested ? [`${nested} match${nested === 1 ? "" : "es"} inside another left as they were: run the rewrite again for them.`] : [])]
  const text = [summary, ...notes, ...preview].join("\n")
  return { text, changed: query.dryRun ? [] : changed }
}
