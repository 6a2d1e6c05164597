// The syntax engine: ast-grep's Rust core through N-API (@ast-grep/napi), with the language
// packages the registry has for Python, Go, Rust and Java. Loaded on first use, so the plugin's
// start stays fast. Every syntax feature (the tools, the repository map, the structural summary)
// parses through here.
import { createRequire } from "node:module"
import path from "node:path"
import type { SgRoot } from "@ast-grep/napi"

type AstGrep = typeof import("@ast-grep/napi")

/** A language the engine parses: its ast-grep name, its file extensions, the character that stands for `$` in its patterns. */
export interface SyntaxLanguage {
  name: string
  extensions: string[]
  expando: string
}

const builtIn: SyntaxLanguage[] = [
  { name: "TypeScript", extensions: ["ts", "mts", "cts"], expando: "$" },
  { name: "Tsx", extensions: ["tsx"], expando: "$" },
  { name: "JavaScript", extensions: ["js", "mjs", "cjs", "jsx"], expando: "$" },
  { name: "Css", extensions: ["css"], expando: "_" },
  { name: "Html", extensions: ["html", "htm"], expando: "$" },
]

/** Language packages (`@ast-grep/lang-*`): registered when installed, each with its prebuilt parser. */
const packages = ["python", "go", "rust", "java"]

/** What users may call a language, besides its name. */
const aliases: Record<string, string> = { ts: "TypeScript", typescript: "TypeScript", tsx: "Tsx", js: "JavaScript", javascript: "JavaScript", jsx: "JavaScript", css: "Css", html: "Html", py: "python", python: "python", go: "go", golang: "go", rs: "rust", rust: "rust", java: "java" }

let engine: { astGrep: AstGrep; languages: SyntaxLanguage[]; missing: string[] } | undefined

/** The engine and its languages, loaded once per process. */
export function syntaxEngine(): { astGrep: AstGrep; languages: SyntaxLanguage[]; missing: string[] } {
  if (engine) return engine
  const require = createRequire(import.meta.url)
  const astGrep = require("@ast-grep/napi") as AstGrep
  const registrations: Record<string, unknown> = {}
  const languages = [...builtIn]
  const missing: string[] = []
  for (const name of packages) {
    try {
      const registration = require(`@ast-grep/lang-${name}`) as { extensions: string[]; expandoChar?: string; libraryPath: string }
      void registration.libraryPath // throws when no parser is built for this platform
      registrations[name] = registration
      languages.push({ name, extensions: registration.extensions, expando: registration.expandoChar ?? "$" })
    } catch {
      missing.push(name)
    }
  }
  if (Object.keys(registrations).length) astGrep.registerDynamicLanguage(registrations as never)
  engine = { astGrep, languages, missing }
  return engine
}

/** The language a file is parsed as, by its extension; undefined for files the engine does not read. */
export function languageOfFile(file: string): SyntaxLanguage | undefined {
  const extension = path.extname(file).slice(1).toLowerCase()
  return extension ? syntaxEngine().languages.find((language) => language.extensions.includes(extension)) : undefined
}

/** The language a user named (any case, or an alias such as `ts` or `py`); undefined when unknown. */
export function languageNamed(name: string): SyntaxLanguage | undefined {
  const wanted = aliases[name.toLowerCase()] ?? name
  return syntaxEngine().languages.find((language) => language.name.toLowerCase() === wanted.toLowerCase())
}

export function languageNames(): string[] {
  return syntaxEngine().languages.map((language) => language.name)
}

export function parseSource(language: SyntaxLanguage, source: string): SgRoot {
  return syntaxEngine().astGrep.parse(language.name, source)
}

/**
 * Why `pattern` is not a valid pattern in `language`, or undefined. ast-grep matches a pattern
 * that does not parse as nothing at all (or throws for some), so it is parsed here first, its
 * metavariables written as the language's parser reads them.
 */
export function patternProblem(language: SyntaxLanguage, pattern: string): string | undefined {
  if (!pattern.trim()) return "the pattern is empty"
  const source = language.expando === "$" ? pattern : pattern.replace(/\$(?=[A-Z_$])/g, language.expando)
  try {
    const root = parseSource(language, source).root()
    const error = root.find({ rule: { kind: "ERROR" } })
    if (error) return `the pattern is not valid ${language.name} code near ${JSON.stringify(error.text().slice(0, 40))} (line ${error.range().start.line + 1})`
    root.findAll(pattern)
    return undefined
  } catch (error) {
    return `the pattern is not valid ${language.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`
  }
}
