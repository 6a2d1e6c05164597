import { dangerousCommand, type GuardContext } from "./command-guard.js"
import { patchedFiles, pathOutside } from "./path-guard.js"

/** The host's tools that write files: the file they write is `filePath`; apply_patch names its files in the patch. */
export const fileWritingTools = new Set(["write", "edit", "apply_patch"])

/** The tools that run a shell command: the host's `bash`, and our workers' `shell`. */
export const commandTools = new Set(["bash", "shell"])

/** The files a call of a file-writing tool writes (as the model named them). */
export function writtenFiles(tool: string, args: unknown): string[] {
  const values = (args ?? {}) as { filePath?: unknown; patchText?: unknown }
  if (tool === "apply_patch") return typeof values.patchText === "string" ? patchedFiles(values.patchText) : []
  if (fileWritingTools.has(tool) && typeof values.filePath === "string") return [values.filePath]
  return []
}

/**
 * The text a worker's tool call is refused with, or undefined to let it run. Checked in the host's
 * `tool.execute.before`, where the arguments are the model's, before the tool acts.
 */
export function refuseToolCall(tool: string, args: unknown, context: GuardContext): string | undefined {
  const values = (args ?? {}) as { command?: unknown }
  if (commandTools.has(tool) && typeof values.command === "string") {
    const reason = dangerousCommand(values.command, context)
    if (reason) return `Blocked by the orchestrator's command guard: ${reason}. This is not allowed in a mission; finish the task without it.`
  }
  for (const file of writtenFiles(tool, args)) {
    const reason = pathOutside(context.directory, file, { userCheckout: context.userCheckout })
    if (reason) return `Blocked by the orchestrator: ${reason}. Write only inside your task's directory.`
  }
  return undefined
}
