import { tool } from "./define-tool.js"
import { weightOf } from "../context/memory.js"
import { checkedTool } from "./checked-tool.js"
import type { MissionRegistry } from "../mission/mission-registry.js"

const z = tool.schema

/** A child reads the memory items its prompt named but had no room for (or, without ids, the list of them all). */
export function memoryReadTool(registry: MissionRegistry) {
  return checkedTool("memory_read", {
    description: "Read memory items by id; none lists all.",
    args: { ids: z.array(z.string().max(200)).max(50).default([]) },
    async execute(args, context) {
      const binding = registry.binding(context.sessionID)
      if (!binding || binding.role === "commander") throw new Error("only an orchestrator child session may call memory_read")
      const memory = binding.mission.state.memory
      const { items } = memory
      if (!args.ids.length) return items.map((item) => `[${item.id}] ${item.text.split("\n")[0]!.slice(0, 100)}`).join("\n") || "(the memory is empty)"
      return args.ids.map((id) => {
        const item = items.find((other) => other.id === id)
        return item ? `[${item.id}] (${item.kind}${item.core ? ", core" : `, weight ${weightOf(memory, item).toFixed(2)}`})\n${item.text}` : `[${id}] no such item`
      }).join("\n\n")
    },
  })
}

/** The user's amendment to the running mission, said to the commander: core memory for every later prompt. */
export function missionAmendTool(registry: MissionRegistry) {
  return checkedTool("mission_amend", {
    description: "Add the user's amendment or constraint to the running mission (e.g. \"do not touch src/legacy\"). Every later task, review and the master review see it.",
    args: { text: z.string().min(1).max(2000).describe("the amendment, in the user's words") },
    async execute(args, context) {
      const mission = registry.forRoot(context.sessionID)
      if (!mission || mission.state.status !== "running") return "No running mission in this session."
      mission.record({ type: "mission-amend", text: args.text })
      return `Amendment recorded for mission ${mission.id}; every later prompt carries it.`
    },
  })
}
