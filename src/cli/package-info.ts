import { readFileSync } from "node:fs"
import path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** This package's folder: `dist/cli/` is two levels below it (so is `src/cli/`). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

export const packageJson = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { name: string; version: string }

/** The plugin entry an OpenCode config gets: this copy's built module, as a file URL (loads offline). */
export function pluginEntry(): string {
  return pathToFileURL(path.join(packageRoot, "dist", "index.js")).href
}

/** Whether a config's plugin entry is this plugin: any copy of the package, by path or by npm name. */
export function isOurEntry(entry: string): boolean {
  const name = packageJson.name
  if (entry === name || entry.startsWith(`${name}@`)) return true
  const normalized = entry.replace(/\\/g, "/")
  return normalized === pluginEntry() || new RegExp(`/${name}/dist/index\\.js$`).test(normalized)
}

/** The config schema shipped in the package (the `$schema` of `.opencode/orchestrator.json`). */
export const schemaFile = path.join(packageRoot, "schema", "orchestrator.schema.json")
