import { readFileSync } from "node:fs"
import path from "node:path"
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser"
import { z } from "zod"
import { filePathProblem } from "../mission/plan-validation.js"

export const roleNames = ["commander", "planner", "worker", "reviewer", "master-reviewer"] as const
export type RoleName = (typeof roleNames)[number]

const modelId = z
  .string()
  .regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"')
  .describe('Model for this role as "provider/model"; unset uses the host\'s model.')

const RoleSettings = z.strictObject({ model: modelId.optional() })

const relativePath = z
  .string()
  .min(1)
  .max(300)
  .refine((value) => !filePathProblem(value) && value !== "." && !value.startsWith("./.."), "expected a path inside the project")

const Worktrees = z.strictObject({
  enabled: z.boolean().default(true).describe("Every writing task works in its own git worktree. false: tasks share the project's tree (tasks with shared files are kept apart)."),
  includeUncommitted: z.boolean().default(true).describe("The mission starts from your uncommitted changes too (a commit made without touching your index or tree)."),
  link: z.array(relativePath).max(50).default(["node_modules"]).describe("Paths symlinked from your checkout into each worktree, when they exist there."),
  copy: z.array(relativePath).max(50).default([".env"]).describe("Paths copied from your checkout into each worktree, when they exist there."),
  setup: z.array(z.string().min(1).max(2000)).max(20).default([]).describe("Shell commands run in each new worktree after link and copy (e.g. \"npm ci\")."),
  land: z.enum(["auto", "branch"]).default("auto").describe("auto: at seal, fast-forward your checkout when nothing of yours would be overwritten, else keep the mission branch. branch: always keep the branch."),
  keep: z.boolean().default(false).describe("Keep worktrees and task branches after the mission (for inspection)."),
})

export const OrchestratorConfig = z.strictObject({
  $schema: z.string().optional(),
  verify: z
    .array(z.string().min(1).max(2000))
    .max(20)
    .optional()
    .describe("Shell commands the engine runs as evidence. Unset: detected from the project. [] opts out of verification."),
  concurrency: z.number().int().min(1).max(16).default(3).describe("Tasks run at once."),
  maxReviewRounds: z.number().int().min(1).max(10).default(3).describe("Attempts per task (work, verify, review)."),
  maxMissionRounds: z.number().int().min(1).max(10).default(3).describe("Master-review rounds before the mission fails."),
  maxPlanAttempts: z.number().int().min(1).max(10).default(3).describe("Plans the planner may submit before the mission fails."),
  verifyTimeoutSeconds: z.number().int().min(1).max(3600).default(300).describe("Timeout of each verification command."),
  workerWeb: z.boolean().default(false).describe("Workers may use the host's webfetch and websearch tools."),
  budget: z
    .strictObject({
      seconds: z.number().int().min(1).max(86_400).default(1800).describe("Time a child conversation (one worker attempt, one review, one plan) may take before it is aborted."),
      toolCalls: z.number().int().min(1).max(10_000).default(300).describe("Tool calls a child conversation may make before it is aborted."),
    })
    .default({ seconds: 1800, toolCalls: 300 }),
  faults: z
    .strictObject({
      backoffSeconds: z.number().min(0).max(60).default(2).describe("First wait before retrying after the model provider failed; doubles per consecutive failure (at most 60 s)."),
      retriesPerTask: z.number().int().min(0).max(10).default(3).describe("Retries of one task's attempt after provider failures, before the task fails."),
      pauseAfter: z.number().int().min(1).max(50).default(4).describe("Consecutive provider failures across the mission after which it pauses (resume with /resume-mission)."),
    })
    .default({ backoffSeconds: 2, retriesPerTask: 3, pauseAfter: 4 }),
  worktrees: Worktrees.default(Worktrees.parse({})),
  roles: z.strictObject(Object.fromEntries(roleNames.map((role) => [role, RoleSettings.optional()]))).default({}),
})
export type OrchestratorConfig = z.infer<typeof OrchestratorConfig> & {
  roles: Partial<Record<RoleName, { model?: string }>>
}

export const configRelativePath = path.join(".opencode", "orchestrator.json")

/** A configuration problem, named by file and key. Serialisable. */
export class ConfigError extends Error {
  readonly name = "ConfigError"
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join("; ")}`)
  }
}

function keyPath(issuePath: PropertyKey[]): string {
  return issuePath.length ? issuePath.map(String).join(".") : "(root)"
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.length ? `${keyPath(issue.path)}.` : ""
    return issue.keys.map((key) => `unknown key "${prefix}${key}"`).join("; ")
  }
  return `key "${keyPath(issue.path)}": ${issue.message}`
}

/** Parses config text (JSONC). Throws ConfigError naming the file and every bad key. */
export function parseConfig(text: string, file: string): OrchestratorConfig {
  const errors: ParseError[] = []
  const raw = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false })
  if (errors.length > 0) {
    const problems = errors.map((error) => {
      const before = text.slice(0, error.offset)
      const line = before.split("\n").length
      const column = error.offset - before.lastIndexOf("\n")
      return `${printParseErrorCode(error.error)} at line ${line} column ${column}`
    })
    throw new ConfigError(file, problems)
  }
  const result = OrchestratorConfig.safeParse(raw ?? {})
  if (!result.success) throw new ConfigError(file, result.error.issues.map(describeIssue))
  return result.data as OrchestratorConfig
}

/** Loads `.opencode/orchestrator.json` of a project; defaults when it does not exist. */
export function loadConfig(projectDirectory: string): OrchestratorConfig {
  const file = path.join(projectDirectory, configRelativePath)
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return parseConfig("{}", configRelativePath)
    throw new ConfigError(configRelativePath, [`cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`])
  }
  // Named relative to the project: the message is shown as is, and must not carry a foreign path.
  return parseConfig(text, configRelativePath)
}

/** The JSON schema shipped for editors (`schema/orchestrator.schema.json`). */
export function configJsonSchema(): object {
  return z.toJSONSchema(OrchestratorConfig, { io: "input" })
}
