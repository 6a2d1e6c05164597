import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { hasSymbols, symbolsOfTree, type CodeSymbol } from "./code-symbols.js"
import { groupBy } from "../collections/group-by.js"
import { sourceFiles } from "./source-files.js"
import { languageOfFile, syntaxEngine } from "./syntax-engine.js"
import type { RepositoryFacts } from "../mission/plan-validation.js"

/** Test files: their uses count as references, their own exports are not listed. */
const testFile = /(^|\/)(test|tests|__tests__|spec)\/|[._-](test|spec)\.[a-z]+$|(^|\/)test_[^/]*\.py$|_test\.go$/

export interface MappedFile {
  file: string
  symbols: CodeSymbol[]
  /** Other files that name one of its exported symbols. */
  referencedBy: number
}

export interface RepositoryMap {
  text: string
  tokens: number
  /** Files with exported symbols, and how many of them the text shows. */
  files: number
  shown: number
}

/** Identifier-like words of a source file: what "names a symbol" means for ranking (cheap, language-agnostic). */
function words(source: string): Set<string> {
  return new Set(source.match(/[A-Za-z_$][\w$]*/g) ?? [])
}

/**
 * The modules a file imports, by their last name: the last segment of quoted paths (`"./util.js"`,
 * Go's `"example.com/pkg"`), Python's `from a.b import` / `import a.b`, Rust's `use a::b`, Java's
 * `import a.b.C`. Cheap and language-agnostic; what matters is that a common word is not an import.
 */
function moduleWords(source: string): Set<string> {
  const found = new Set<string>()
  const segments = (text: string) => text.split(/[/.:]+/).filter(Boolean)
  for (const match of source.matchAll(/["'`]([\w@./-]*\/[\w@.-]+)["'`]/g)) {
    const last = match[1]!.split("/").at(-1)!
    found.add(last.replace(/\.(m?[jt]sx?|c[jt]s|py|go|rs|java)$/, ""))
  }
  for (const match of source.matchAll(/^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+)|(?:pub\s+)?use\s+([\w:]+))/gm)) for (const part of segments(match[1] ?? match[2] ?? match[3] ?? "")) found.add(part)
  return found
}

/** The name other files use for a module: its file name without extension, or its folder's for an index file. */
function moduleName(file: string): string {
  const stem = path.posix.basename(file).replace(/\.[^.]+$/, "")
  return ["index", "mod", "__init__", "lib", "main"].includes(stem) ? path.posix.basename(path.posix.dirname(file)) : stem
}

/** What the map is made of: the ranked files, every file the engine read, and every name they use. */
export interface MappedRepository {
  files: MappedFile[]
  sources: string[]
  names: Set<string>
}

/** Every non-test file's exported top-level symbols, ranked by how many other files name them (then by path). */
export async function mapFiles(directory: string): Promise<MappedRepository> {
  const listed = await sourceFiles(directory)
  if (!listed.ok) return { files: [], sources: [], names: new Set() }
  const { astGrep } = syntaxEngine()
  const parsed: Array<{ file: string; symbols: CodeSymbol[] }> = []
  const vocabulary = new Map<string, Set<string>>()
  /** Which file imports which module (by its last name). */
  const imports: Array<{ module: string; file: string }> = []
  const readable = listed.value.flatMap((file) => {
    const language = languageOfFile(file)
    return language ? [{ file, language }] : []
  })
  // Parsed off the main thread, a batch at a time: the host's event loop keeps going.
  for (let start = 0; start < readable.length; start += 32) {
    const batch = await Promise.all(
      readable.slice(start, start + 32).map(async ({ file, language }) => {
        let source: string
        try {
          source = readFileSync(path.join(directory, file), "utf8")
        } catch {
          return undefined
        }
        const listedSymbols = !testFile.test(file) && hasSymbols(language)
        const symbols = listedSymbols ? await astGrep.parseAsync(language.name, source).then((tree) => symbolsOfTree(language, tree.root(), source)).catch(() => []) : []
        return { file, source, symbols: symbols.filter((symbol) => symbol.exported && !symbol.container) }
      }),
    )
    for (const item of batch) {
      if (!item) continue
      vocabulary.set(item.file, words(item.source))
      for (const module of moduleWords(item.source)) imports.push({ module, file: item.file })
      if (item.symbols.length) parsed.push({ file: item.file, symbols: item.symbols })
    }
  }
  const importers = groupBy(imports, (entry) => entry.module)
  // A reference: another file imports the module and names one of its exported symbols. Go and
  // Java import a package or a class rather than a file; for them the folder counts too.
  const files = parsed.map(({ file, symbols }) => {
    const module = moduleName(file)
    const folder = /\.(go|java)$/.test(file) ? path.posix.basename(path.posix.dirname(file)) : module
    const candidates = new Set([...(importers.get(module) ?? []), ...(importers.get(folder) ?? [])].map((entry) => entry.file))
    candidates.delete(file)
    let referencedBy = 0
    for (const other of candidates) if (symbols.some((symbol) => vocabulary.get(other)!.has(symbol.name))) referencedBy++
    return { file, symbols, referencedBy }
  })
  files.sort((a, b) => b.referencedBy - a.referencedBy || a.file.localeCompare(b.file))
  const names = new Set<string>()
  for (const set of vocabulary.values()) for (const name of set) names.add(name)
  return { files, sources: listed.value, names }
}

function block(entry: MappedFile): string {
  const used = entry.referencedBy ? ` (named in ${entry.referencedBy} other file${entry.referencedBy === 1 ? "" : "s"})` : ""
  return [`${entry.file}${used}`, ...entry.symbols.map((symbol) => `  ${symbol.signature}`)].join("\n")
}

/**
 * The repository map: exported symbols per file (their signatures, from the syntax tree), the
 * most referenced files first, cut at `budgetTokens`; what did not fit is counted in a last line.
 */
export function renderRepositoryMap(mapped: MappedFile[], budgetTokens: number, count: (text: string) => number): RepositoryMap {
  const blocks: string[] = []
  let tokens = 0
  for (const entry of mapped) {
    const text = block(entry)
    const size = count(text) + 1
    // Room is kept for the last line, so the whole map stays within the budget.
    if (tokens + size > budgetTokens - 40) break
    blocks.push(text)
    tokens += size
  }
  const left = mapped.length - blocks.length
  if (left) blocks.push(`… ${left} more file${left === 1 ? "" : "s"} with exported symbols, less referenced (read them with ast_grep_search or read)`)
  const text = blocks.join("\n")
  return { text, tokens: count(text), files: mapped.length, shown: mapped.length - left }
}

export async function repositoryMap(directory: string, budgetTokens: number, count: (text: string) => number): Promise<RepositoryMap> {
  return renderRepositoryMap((await mapFiles(directory)).files, budgetTokens, count)
}

/** What plan validation checks a plan's files and names against (plan-validation.ts). */
export function repositoryFacts(directory: string, mapped: MappedRepository): RepositoryFacts {
  const byName = groupBy(mapped.sources, (file) => path.posix.basename(file))
  return {
    fileExists: (file) => existsSync(path.join(directory, file)),
    nameExists: (name) => mapped.names.has(name),
    similarFile: (file) => byName.get(path.posix.basename(file))?.[0],
  }
}
