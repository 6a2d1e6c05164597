import type { SgNode } from "@ast-grep/napi"
import { parseSource, type SyntaxLanguage } from "./syntax-engine.js"

/** A declaration a file makes, from its syntax tree: what the repository map and the structural summary are made of. */
export interface CodeSymbol {
  name: string
  kind: "function" | "class" | "interface" | "type" | "enum" | "variable" | "method" | "module"
  /** Part of the file's public surface: exported (JS/TS), `pub` (Rust), `public` (Java), capitalised (Go), no leading `_` (Python). */
  exported: boolean
  /** The declaration's head: everything before its body, whitespace collapsed. */
  signature: string
  /** 1-based. */
  line: number
  /** The class, impl or type a method belongs to. */
  container?: string
}

const maxSignature = 200

function head(node: SgNode, source: string): string {
  const body = node.field("body" as never) as SgNode | null
  const end = body ? body.range().start.index : node.range().end.index
  let text = source.slice(node.range().start.index, end).replace(/\s+/g, " ").trim()
  if (!body) text = text.split(/ \{ | = \{/)[0]!
  text = text.replace(/[:{]$/, "").trim()
  return text.length > maxSignature ? `${text.slice(0, maxSignature - 1)}…` : text
}

const nameOf = (node: SgNode) => (node.field("name" as never) as SgNode | null)?.text()
const line = (node: SgNode) => node.range().start.line + 1

const scriptKinds: Record<string, CodeSymbol["kind"]> = {
  function_declaration: "function",
  generator_function_declaration: "function",
  class_declaration: "class",
  abstract_class_declaration: "class",
  interface_declaration: "interface",
  type_alias_declaration: "type",
  enum_declaration: "enum",
}

function scriptSymbols(root: SgNode, source: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = []
  const exportedNames = new Set<string>()
  const declare = (node: SgNode, exported: boolean) => {
    const kind = scriptKinds[node.kind()]
    const name = nameOf(node)
    if (kind && name) {
      symbols.push({ name, kind, exported, signature: head(node, source), line: line(node) })
      if (kind === "class") symbols.push(...classMembers(node, name, exported, source))
      return
    }
    if (node.kind() === "lexical_declaration" || node.kind() === "variable_declaration")
      for (const declarator of node.children().filter((child) => child.kind() === "variable_declarator")) {
        const id = nameOf(declarator)
        const value = declarator.field("value" as never) as SgNode | null
        const callable = value && ["arrow_function", "function_expression", "function"].includes(String(value.kind()))
        const text = callable ? `${node.child(0)?.text() ?? "const"} ${id} = ${source.slice(value.range().start.index, ((value.field("body" as never) as SgNode | null)?.range().start.index ?? value.range().end.index)).replace(/\s+/g, " ").trim()}` : `${node.child(0)?.text() ?? "const"} ${declarator.text().split("=")[0]!.replace(/\s+/g, " ").trim()}`
        if (id) symbols.push({ name: id, kind: callable ? "function" : "variable", exported, signature: text.slice(0, maxSignature), line: line(declarator) })
      }
  }
  for (const statement of root.children()) {
    if (statement.kind() === "export_statement") {
      const declaration = statement.field("declaration" as never) as SgNode | null
      if (declaration) declare(declaration, true)
      for (const specifier of statement.findAll({ rule: { kind: "export_specifier" } })) {
        const local = nameOf(specifier)
        if (local) exportedNames.add(local)
      }
    } else declare(statement, false)
  }
  for (const symbol of symbols) if (!symbol.container && exportedNames.has(symbol.name)) symbol.exported = true
  return symbols
}

function classMembers(node: SgNode, container: string, exported: boolean, source: string): CodeSymbol[] {
  const body = node.field("body" as never) as SgNode | null
  return (body?.children() ?? [])
    .filter((member) => member.kind() === "method_definition" || member.kind() === "method_signature" || member.kind() === "abstract_method_signature")
    .flatMap((member) => {
      const name = nameOf(member)
      if (!name) return []
      const hidden = name.startsWith("#") || /^(private|protected)\b/.test(member.text())
      return [{ name, kind: "method" as const, exported: exported && !hidden, signature: head(member, source), line: line(member), container }]
    })
}

function pythonSymbols(root: SgNode, source: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = []
  const visit = (statement: SgNode, container?: string) => {
    const node = statement.kind() === "decorated_definition" ? ((statement.field("definition" as never) as SgNode | null) ?? statement) : statement
    const name = nameOf(node)
    if (!name) return
    const isPublic = !name.startsWith("_") || (name.startsWith("__") && name.endsWith("__"))
    if (node.kind() === "function_definition") symbols.push({ name, kind: container ? "method" : "function", exported: isPublic, signature: head(node, source), line: line(node), ...(container ? { container } : {}) })
    else if (node.kind() === "class_definition" && !container) {
      symbols.push({ name, kind: "class", exported: isPublic, signature: head(node, source), line: line(node) })
      const body = node.field("body" as never) as SgNode | null
      for (const member of body?.children() ?? []) visit(member, name)
    }
  }
  for (const statement of root.children()) visit(statement)
  return symbols
}

function goSymbols(root: SgNode, source: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = []
  const isPublic = (name: string) => /^[A-Z]/.test(name)
  for (const statement of root.children()) {
    const kind = statement.kind()
    if (kind === "function_declaration" || kind === "method_declaration") {
      const name = nameOf(statement)
      const receiver = kind === "method_declaration" ? (statement.field("receiver" as never) as SgNode | null)?.find({ rule: { kind: "type_identifier" } })?.text() : undefined
      if (name) symbols.push({ name, kind: receiver ? "method" : "function", exported: isPublic(name), signature: head(statement, source), line: line(statement), ...(receiver ? { container: receiver } : {}) })
    } else if (kind === "type_declaration")
      for (const spec of statement.children().filter((child) => child.kind() === "type_spec")) {
        const name = nameOf(spec)
        const type = (spec.field("type" as never) as SgNode | null)?.kind()
        if (name) symbols.push({ name, kind: type === "interface_type" ? "interface" : "type", exported: isPublic(name), signature: `type ${name} ${type === "struct_type" ? "struct" : type === "interface_type" ? "interface" : (spec.field("type" as never) as SgNode | null)?.text().slice(0, 80) ?? ""}`.trim(), line: line(spec) })
      }
  }
  return symbols
}

const rustKinds: Record<string, CodeSymbol["kind"]> = { function_item: "function", struct_item: "class", enum_item: "enum", trait_item: "interface", type_item: "type", const_item: "variable", static_item: "variable", mod_item: "module" }

function rustSymbols(root: SgNode, source: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = []
  const isPublic = (node: SgNode) => node.children().some((child) => child.kind() === "visibility_modifier")
  for (const item of root.children()) {
    const kind = rustKinds[item.kind()]
    const name = nameOf(item)
    if (kind && name) symbols.push({ name, kind, exported: isPublic(item), signature: head(item, source).replace(/;$/, ""), line: line(item) })
    if (item.kind() === "impl_item" || item.kind() === "trait_item") {
      const container = (item.field("type" as never) as SgNode | null)?.text() ?? name ?? "impl"
      const body = item.field("body" as never) as SgNode | null
      for (const member of body?.children() ?? []) {
        const method = nameOf(member)
        if (method && (member.kind() === "function_item" || member.kind() === "function_signature_item"))
          symbols.push({ name: method, kind: "method", exported: item.kind() === "trait_item" ? isPublic(item) : isPublic(member), signature: head(member, source).replace(/;$/, ""), line: line(member), container })
      }
    }
  }
  return symbols
}

const javaKinds: Record<string, CodeSymbol["kind"]> = { class_declaration: "class", interface_declaration: "interface", enum_declaration: "enum", record_declaration: "class" }

function javaSymbols(root: SgNode, source: string): CodeSymbol[] {
  const symbols: CodeSymbol[] = []
  const isPublic = (node: SgNode) => node.children().some((child) => child.kind() === "modifiers" && /\bpublic\b/.test(child.text()))
  const visit = (node: SgNode) => {
    const kind = javaKinds[node.kind()]
    const name = nameOf(node)
    if (!kind || !name) return
    const exported = isPublic(node)
    symbols.push({ name, kind, exported, signature: head(node, source), line: line(node) })
    const body = node.field("body" as never) as SgNode | null
    for (const member of body?.children() ?? []) {
      if (member.kind() === "method_declaration" || member.kind() === "constructor_declaration") {
        const method = nameOf(member)
        if (method) symbols.push({ name: method, kind: "method", exported: exported && isPublic(member), signature: head(member, source), line: line(member), container: name })
      } else visit(member)
    }
  }
  for (const node of root.children()) visit(node)
  return symbols
}

const extractors: Record<string, (root: SgNode, source: string) => CodeSymbol[]> = {
  TypeScript: scriptSymbols,
  Tsx: scriptSymbols,
  JavaScript: scriptSymbols,
  python: pythonSymbols,
  go: goSymbols,
  rust: rustSymbols,
  java: javaSymbols,
}

/** The declarations of one file (top level, and the methods of its classes, impls and traits), in source order. Empty for languages without declarations (CSS, HTML). */
export function codeSymbols(language: SyntaxLanguage, source: string): CodeSymbol[] {
  return hasSymbols(language) ? symbolsOfTree(language, parseSource(language, source).root(), source) : []
}

/** Whether the language has declarations to extract. */
export const hasSymbols = (language: SyntaxLanguage) => language.name in extractors

/** `codeSymbols` for a tree parsed already (off the main thread, with parseAsync). */
export function symbolsOfTree(language: SyntaxLanguage, root: SgNode, source: string): CodeSymbol[] {
  const extract = extractors[language.name]
  return extract ? extract(root, source) : []
}
