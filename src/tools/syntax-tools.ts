import { tool } from "./define-tool.js"
import { checkedTool } from "./checked-tool.js"
import { pathOutside } from "../guard/path-guard.js"
import type { MissionRegistry } from "../mission/mission-registry.js"
import { astGrepRewrite, astGrepSearch } from "../syntax/ast-grep-tools.js"

const z = tool.schema

const query = {
  pattern: z.string().min(1).max(4000),
  lang: z.string().max(40).optional(),
  paths: z.array(z.string().max(300)).max(50).optional(),
}

/** Structural search in the calling session's directory: for every role of a mission that reads. */
export function astGrepSearchTool(registry: MissionRegistry) {
  return checkedTool("ast_grep_search", {
    description: "Search code by ast-grep pattern ($X: a node, $$$X: nodes).",
    args: query,
    async execute(args, context) {
      const binding = registry.binding(context.sessionID)
      if (!binding || binding.role === "commander") throw new Error("only an orchestrator child session may call ast_grep_search")
      const directory = binding.mission.sessionDirectory(context.sessionID) ?? binding.mission.workspace.missionDirectory
      return astGrepSearch({ directory, ...args })
    },
  })
}

/** Structural rewrite in a worker's directory: each file through the path guard, each file written noted as touched. */
export function astGrepRewriteTool(registry: MissionRegistry) {
  return checkedTool("ast_grep_rewrite", {
    description: "Rewrite ast_grep_search matches ($X in rewrite: matched code).",
    args: { ...query, rewrite: z.string().max(20_000), dryRun: z.boolean().optional() },
    async execute(args, context) {
      const binding = registry.binding(context.sessionID)
      const directory = binding?.role === "worker" ? binding.mission.sessionDirectory(context.sessionID) : undefined
      if (!binding || !directory) throw new Error("only an orchestrator worker session may call ast_grep_rewrite")
      const userCheckout = directory === binding.mission.workspace.root
      const refuseWrite = (file: string) => pathOutside(directory, file, { userCheckout })
      const result = await astGrepRewrite({ directory, ...args, refuseWrite })
      for (const file of result.changed) binding.mission.noteTouched(context.sessionID, file)
      return result.text
    },
  })
}
