// The public symbols a change adds, read from the added lines of its diff: what a task that builds
// on it can use. Line patterns for JavaScript/TypeScript, Python and Go; a syntax-aware reading
// comes with the AST tools.

const patterns = [
  /^export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/,
  /^(?:async\s+)?def\s+([A-Za-z][\w]*)\s*\(/,
  /^class\s+([A-Za-z][\w]*)\s*[:(]/,
  /^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)\s*\(/,
]

export function publicSymbols(diff: string, limit = 40): string[] {
  const found: string[] = []
  for (const raw of diff.split("\n")) {
    if (!raw.startsWith("+") || raw.startsWith("+++")) continue
    const line = raw.slice(1)
    const list = line.match(/^export\s*\{([^}]*)\}/)
    const names = list
      ? list[1]!.split(",").map((name) => name.trim().split(/\s+as\s+/).pop()!.trim()).filter(Boolean)
      : patterns.map((pattern) => line.match(pattern)?.[1]).filter((name): name is string => Boolean(name))
    for (const name of names) if (!found.includes(name) && found.length < limit) found.push(name)
  }
  return found
}
