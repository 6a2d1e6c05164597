import type { ToolContext } from "@opencode-ai/plugin/tool"
import { tool } from "./define-tool.js"
import { checkedTool } from "./checked-tool.js"
import { refuseToolCall } from "../guard/tool-guard.js"
import type { MissionRegistry } from "../mission/mission-registry.js"
import { boundedOutput, runBounded, type BoundedRun } from "../verify/verify-run.js"

const z = tool.schema

/** Characters of a command's output a worker sees from each end. */
export const shellOutputKeep = 6000
const defaultTimeoutMs = 120_000
const maxTimeoutMs = 600_000

/**
 * The text a model sees of one command: how it ended, then its output; past `keep` characters at
 * either end, the middle is cut and the cut is named.
 */
export function shellResult(run: BoundedRun, keep = shellOutputKeep): string {
  const ending = run.timedOut ? "timed out (killed)" : run.exitCode === null ? "could not run" : `exit ${run.exitCode}`
  const seconds = (run.durationMs / 1000).toFixed(1)
  const output = boundedOutput(run, keep)
  return `${ending} · ${seconds} s${output ? `\n${output.trimEnd()}` : " · no output"}`
}

/**
 * A worker's shell: the command runs in the task's directory, under the mission's OS sandbox, with
 * the command guard first. It stands in for the host's `bash` for our workers, whose schema alone
 * is about 1,245 tokens (o200k) on every request; this one's is under a tenth of that.
 */
export function shellTool(registry: MissionRegistry) {
  return checkedTool("shell", {
    description: "Run bash in your task's directory (sandboxed; timeout in ms). Returns exit code and output.",
    args: {
      command: z.string().min(1).max(20_000),
      timeout: z.number().int().positive().max(maxTimeoutMs).optional(),
    },
    async execute(args, context: ToolContext) {
      const binding = registry.binding(context.sessionID)
      const directory = binding?.role === "worker" ? binding.mission.sessionDirectory(context.sessionID) : undefined
      if (!binding || !directory) throw new Error("only an orchestrator worker session may call shell")
      const userCheckout = directory === binding.mission.workspace.root
      const refusal = refuseToolCall("shell", args, { directory, userCheckout })
      if (refusal) throw new Error(refusal)
      context.metadata({ title: args.command.split("\n")[0]!.slice(0, 80) })
      const { sandbox, config } = binding.mission
      const run = await runBounded(args.command, {
        cwd: directory,
        timeoutMs: args.timeout ?? defaultTimeoutMs,
        signal: context.abort,
        wrap: (command) => sandbox.wrap(command, { directory, key: binding.taskId ?? "worker", network: config.workerWeb, userCheckout }),
        keep: shellOutputKeep,
      })
      return shellResult(run)
    },
  })
}
