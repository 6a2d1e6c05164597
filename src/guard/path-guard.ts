import { realpathSync } from "node:fs"
import path from "node:path"

function realOrNearest(file: string): string {
  // The nearest folder that exists, resolved through symlinks, plus the part that does not exist yet.
  let current = file
  const rest: string[] = []
  for (;;) {
    try {
      return path.join(realpathSync(current), ...rest)
    } catch {
      const parent = path.dirname(current)
      if (parent === current) return file
      rest.unshift(path.basename(current))
      current = parent
    }
  }
}

function inside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child)
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))
}

/** Why writing `filePath` from a session working in `directory` leaves it (also through a symlink), or undefined. */
export function pathOutside(directory: string, filePath: string): string | undefined {
  if (filePath.includes("\0")) return "the path contains a NUL character"
  const target = path.resolve(directory, filePath)
  if (!inside(directory, target)) return `${filePath} is outside the task's directory`
  if (!inside(realOrNearest(directory), realOrNearest(target))) return `${filePath} leads outside the task's directory through a symlink`
  return undefined
}
