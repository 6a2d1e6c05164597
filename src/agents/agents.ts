import { readFileSync } from "node:fs"
import { roleNames, type RoleName } from "../config/config.js"

export type PermissionValue = "allow" | "deny" | "ask"
export type PermissionMap = Record<string, PermissionValue>

export interface AgentDefinition {
  mode: "primary" | "subagent"
  /** Subagents exist for the engine; hidden keeps them out of the user's @-list (the task tool: see hideOursFromUserAgents). */
  hidden?: boolean
  description: string
  prompt: string
  permission: PermissionMap
}

/** Each role's own tools; every role is denied the others'. */
export const roleTools: Record<RoleName, string[]> = {
  commander: ["run_mission", "mission_status", "mission_stop", "mission_amend"],
  planner: ["submit_plan", "ast_grep_search"],
  worker: ["submit_work", "memory_read", "shell", "ast_grep_search", "ast_grep_rewrite"],
  reviewer: ["submit_review", "memory_read", "ast_grep_search"],
  "master-reviewer": ["submit_verdict", "memory_read", "ast_grep_search"],
}

export const allOurTools = [...new Set(Object.values(roleTools).flat())]
const subagentRoles = roleNames.filter((role) => role !== "commander")
const readTools = ["read", "glob", "grep"]

/**
 * The user's top-level permission with our tools and subagents denied by default, so the user's
 * own agents are not offered them (our tools cost about 740 tokens, o200k, on every request). Only
 * keys for our names are added, and only where the user has not set them; a plain string
 * permission becomes its equal object.
 */
export function hideOursFromUserAgents(permission: unknown): Record<string, unknown> {
  const base: Record<string, unknown> = typeof permission === "string" ? { "*": permission } : { ...((permission as Record<string, unknown>) ?? {}) }
  for (const tool of allOurTools) if (!(tool in base)) base[tool] = "deny"
  // Nor may their agents delegate to ours (the host's task tool lists subagents it may call).
  const task = base.task
  const taskRules: Record<string, unknown> = typeof task === "string" ? { "*": task } : task && typeof task === "object" ? { ...(task as object) } : { "*": "allow" }
  for (const role of subagentRoles) if (!(role in taskRules)) taskRules[role] = "deny"
  base.task = taskRules
  return base
}

const prompts = new Map<RoleName, string>()

/** A role's prompt file, read once per process (the config hook runs once per directory instance). */
export function rolePrompt(role: RoleName): string {
  let prompt = prompts.get(role)
  if (prompt === undefined) prompts.set(role, (prompt = readFileSync(new URL(`./${role}.txt`, import.meta.url), "utf8")))
  return prompt
}

/** Read-only roles: everything denied, then reading and their own tools allowed. */
function allowOnly(tools: string[]): PermissionMap {
  return { "*": "deny", ...Object.fromEntries([...readTools, ...tools].map((tool) => [tool, "allow" as const])) }
}

export interface AgentOptions {
  /** Workers may fetch and search the web (`workerWeb` in orchestrator.json). */
  workerWeb?: boolean
}

/**
 * Host tools a worker is never offered: each costs tokens on every worker request (see
 * docs/decisions.md). `bash` gives way to our `shell` (sandboxed, guarded, under a tenth of the schema);
 * `grep` and `glob` to `shell` (grep, find) and `ast_grep_search`.
 */
export const workerUnneededTools = ["todowrite", "skill", "bash", "grep", "glob"]

function rolePermission(role: RoleName, options: AgentOptions): PermissionMap {
  if (role !== "worker") return allowOnly(roleTools[role])
  // Workers keep the host's file tools and get our shell; no delegation, no web unless allowed, nothing outside the project.
  const web = options.workerWeb ? [] : ["webfetch", "websearch"]
  // Paid on every request: todowrite (its plan is ours), skill (and the host's skills list with it), bash, grep and glob (ours do it).
  const own = roleTools.worker
  const denied = ["task", ...web, "question", ...workerUnneededTools, ...allOurTools.filter((tool) => !own.includes(tool))]
  return { ...Object.fromEntries(denied.map((tool) => [tool, "deny" as const])), ...Object.fromEntries(own.map((tool) => [tool, "allow" as const])), external_directory: "deny" }
}

const descriptions: Record<RoleName, string> = {
  commander: "Runs verified multi-agent missions (/task): plan, parallel workers, evidence-checked reviews, seal.",
  planner: "Orchestrator: turns a mission into a validated task plan (read-only).",
  worker: "Orchestrator: completes one planned task and submits it for verification.",
  reviewer: "Orchestrator: reviews one task's change against its evidence (read-only).",
  "master-reviewer": "Orchestrator: checks the whole mission end to end before it is sealed (read-only).",
}

export function agentDefinitions(options: AgentOptions = {}): Record<RoleName, AgentDefinition> {
  return Object.fromEntries(
    roleNames.map((role) => [
      role,
      {
        mode: role === "commander" ? "primary" : "subagent",
        ...(role === "commander" ? {} : { hidden: true }),
        description: descriptions[role],
        prompt: rolePrompt(role),
        permission: rolePermission(role, options),
      },
    ]),
  ) as Record<RoleName, AgentDefinition>
}

export const resumeCommandTemplate = 'A mission was resumed ($ARGUMENTS). Call run_mission with the goal "resume" to follow it, then summarise its report.'

/**
 * `/task`'s message is the user's words alone (the TUI shows it as theirs): the mission starts in
 * `command.execute.before`, and the commander's prompt says that a goal means run_mission.
 */
export const taskCommandTemplate = "$ARGUMENTS"
