import { tool } from "./define-tool.js"
import { checkedTool } from "./checked-tool.js"
import type { RoleName } from "../config/roles.js"
import type { Mission } from "../mission/mission.js"
import type { MissionRegistry } from "../mission/mission-registry.js"

const z = tool.schema

/** The mission this session serves as `role`, or an error text for the model. */
export function missionFor(registry: MissionRegistry, sessionId: string, role: RoleName): Mission {
  const binding = registry.binding(sessionId)
  if (!binding || binding.role !== role) throw new Error(`only an orchestrator ${role} session may call this tool`)
  return binding.mission
}

/** Every string in a tool's arguments: what a secret scan reads before they are recorded. */
export function argumentTexts(value: unknown): string[] {
  if (typeof value === "string") return [value]
  if (Array.isArray(value)) return value.flatMap(argumentTexts)
  if (value && typeof value === "object") return Object.values(value).flatMap(argumentTexts)
  return []
}

const finding = z.object({ message: z.string().min(1).max(4000), file: z.string().max(300).optional() })

export function submitPlanTool(registry: MissionRegistry) {
  return checkedTool("submit_plan", {
    description: "Submit the mission plan. The orchestrator validates it and tells you what to fix.",
    args: {
      tasks: z
        .array(
          z.object({
            id: z.string().describe("short unique id, e.g. A"),
            title: z.string(),
            description: z.string(),
            acceptance: z.array(z.string()),
            files: z.array(z.string()).describe("paths the task creates or changes"),
            dependsOn: z.array(z.string()).describe("ids of tasks this one needs first"),
          }),
        )
        .max(1000), // maxPlanTasks (config) is the real limit, with its own message
    },
    async execute(args, context) {
      const mission = missionFor(registry, context.sessionID, "planner")
      await mission.learnSecrets(argumentTexts(args))
      return mission.submitPlan(context.sessionID, args.tasks, context.messageID)
    },
  })
}

export function submitWorkTool(registry: MissionRegistry) {
  return checkedTool("submit_work", {
    description: "Submit your finished task for review.",
    args: { summary: z.string().min(1).max(4000).describe("what changed, how tested") },
    async execute(args, context) {
      const mission = missionFor(registry, context.sessionID, "worker")
      await mission.learnSecrets([args.summary])
      return mission.submitWork(context.sessionID, args.summary, context.messageID)
    },
  })
}

function verdictTool(registry: MissionRegistry, role: "reviewer" | "master-reviewer", description: string) {
  return checkedTool(role === "reviewer" ? "submit_review" : "submit_verdict", {
    description,
    args: {
      verdict: z.enum(["approve", "reject"]),
      findings: z.array(finding).max(30).describe("what is wrong, and where"),
    },
    async execute(args, context) {
      const kind = role === "reviewer" ? "review" : "verdict"
      const mission = missionFor(registry, context.sessionID, role)
      await mission.learnSecrets(argumentTexts(args))
      return mission.submitVerdict(context.sessionID, kind, args, context.messageID)
    },
  })
}

export const submitReviewTool = (registry: MissionRegistry) => verdictTool(registry, "reviewer", "Submit your review of the task's change.")
export const submitVerdictTool = (registry: MissionRegistry) => verdictTool(registry, "master-reviewer", "Submit your verdict on the whole mission.")
