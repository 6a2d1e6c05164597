// Build: compile TypeScript to dist/, then copy the prompt files the code reads at run time.
import { execFileSync } from "node:child_process"
import { cpSync, readdirSync, rmSync, statSync } from "node:fs"
import path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
rmSync(path.join(root, "dist"), { recursive: true, force: true })
execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" })

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) copyAssets(full)
    else if (name.endsWith(".txt") || name.endsWith(".json") || name.endsWith(".html")) cpSync(full, path.join(root, "dist", path.relative(path.join(root, "src"), full)))
  }
}
copyAssets(path.join(root, "src"))
