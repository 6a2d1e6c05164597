import { existsSync, readdirSync, readFileSync } from "node:fs"
import path from "node:path"

export interface ProjectScan {
  stack: string[]
  verifyCommands: string[]
  layout: string[]
}

const npmDefaultTest = /no test specified/

function readJson(file: string): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"))
  } catch {
    return undefined
  }
}

/** Verification commands a project declares by convention; empty when none is found. */
export function detectVerifyCommands(directory: string): string[] {
  const pkg = readJson(path.join(directory, "package.json"))
  if (pkg) {
    const test = pkg.scripts?.test
    return typeof test === "string" && test.trim() && !npmDefaultTest.test(test) ? ["npm test"] : []
  }
  if (existsSync(path.join(directory, "Cargo.toml"))) return ["cargo test"]
  if (existsSync(path.join(directory, "go.mod"))) return ["go test ./..."]
  if (existsSync(path.join(directory, "pyproject.toml")) || existsSync(path.join(directory, "pytest.ini"))) return ["python3 -m pytest -q"]
  return []
}

const stackMarkers: Array<[string, string]> = [
  ["package.json", "node"],
  ["tsconfig.json", "typescript"],
  ["Cargo.toml", "rust"],
  ["go.mod", "go"],
  ["pyproject.toml", "python"],
  ["requirements.txt", "python"],
  ["pom.xml", "java"],
]

const hidden = new Set([".git", "node_modules", ".opencode", ".worktrees", "dist", "target"])

/** A short scan for the planner: stack, verification commands, top-level layout. */
export function scanProject(directory: string, maxEntries = 40): ProjectScan {
  const stack = [...new Set(stackMarkers.filter(([file]) => existsSync(path.join(directory, file))).map(([, name]) => name))]
  let layout: string[] = []
  try {
    layout = readdirSync(directory, { withFileTypes: true })
      .filter((entry) => !hidden.has(entry.name))
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort()
      .slice(0, maxEntries)
  } catch {}
  return { stack, verifyCommands: detectVerifyCommands(directory), layout }
}
