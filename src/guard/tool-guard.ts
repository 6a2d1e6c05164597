import { dangerousCommand, type GuardContext } from "./command-guard.js"
import { pathOutside } from "./path-guard.js"

const fileTools = new Set(["write", "edit"])

/**
 * The text a worker's tool call is refused with, or undefined to let it run. Checked in the host's
 * `tool.execute.before`, where the arguments are the model's, before the tool acts.
 */
export function refuseToolCall(tool: string, args: unknown, context: GuardContext): string | undefined {
  const values = (args ?? {}) as { command?: unknown; filePath?: unknown }
  if (tool === "bash" && typeof values.command === "string") {
    const reason = dangerousCommand(values.command, context)
    if (reason) return `Blocked by the orchestrator's command guard: ${reason}. This is not allowed in a mission; finish the task without it.`
  }
  if (fileTools.has(tool) && typeof values.filePath === "string") {
    const reason = pathOutside(context.directory, values.filePath)
    if (reason) return `Blocked by the orchestrator: ${reason}. Write only inside your task's directory.`
  }
  return undefined
}
