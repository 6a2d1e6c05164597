import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs"
import path from "node:path"
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from "jsonc-parser"
import { z } from "zod"
import { filePathProblem } from "../mission/plan-validation.js"

import { roleNames, type RoleName } from "./roles.js"

export { roleNames, type RoleName }

const modelId = z
  .string()
  .regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"')
  .describe('Model for this role as "provider/model"; unset uses the host\'s model.')

/** A shell command from the config: no NUL or other control characters but tab and newline (a shell cannot take them). */
const shellCommand = z
  .string()
  .min(1)
  .max(2000)
  .refine((value) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value), "must not contain NUL or other control characters")

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
  setup: z.array(shellCommand).max(20).default([]).describe("Shell commands run in each new worktree after link and copy (e.g. \"npm ci\")."),
  land: z.enum(["auto", "branch"]).default("auto").describe("auto: at seal, fast-forward your checkout when nothing of yours would be overwritten, else keep the mission branch. branch: always keep the branch."),
  keep: z.boolean().default(false).describe("Keep worktrees and task branches after the mission (for inspection)."),
})

const roleBudget = (role: string, tokens: number) =>
  z.number().int().min(4000).max(1_000_000).default(tokens).describe(`Input tokens one ${role} request may carry: the prompt the engine builds fits it, and older tool outputs are shortened to keep the conversation within it.`)

const Context = z.strictObject({
  alpha: z.number().min(0).max(0.99).default(0.8).describe("Memory smoothing: at every mission step an item's weight becomes alpha·weight + (1−alpha)·(1 if it was used again, else 0). Core items never decay."),
  budgets: z
    .strictObject({
      planner: roleBudget("planner", 16_000),
      worker: roleBudget("worker", 32_000),
      reviewer: roleBudget("reviewer", 24_000),
      "master-reviewer": roleBudget("master reviewer", 24_000),
    })
    .default({ planner: 16_000, worker: 32_000, reviewer: 24_000, "master-reviewer": 24_000 }),
})

export const OrchestratorConfig = z.strictObject({
  $schema: z.string().optional(),
  verify: z
    .array(shellCommand)
    .max(20)
    .optional()
    .describe("Shell commands the engine runs as evidence. Unset: detected from the project. [] opts out of verification."),
  concurrency: z.number().int().min(1).max(16).default(3).describe("Tasks run at once; also the most conversations one provider/model gets at once (its adaptive slots: fewer after 429s, 5xx and rising latency, back up after successes)."),
  modelConcurrency: z
    .record(z.string().regex(/^[^/\s]+\/\S+$/, "provider/model"), z.number().int().min(1).max(16))
    .default({})
    .describe("The most conversations a provider/model gets at once, for some models (e.g. {\"anthropic/claude-sonnet-4-5\": 2}); others get `concurrency`. Shared by every mission of the OpenCode process."),
  maxReviewRounds: z.number().int().min(1).max(10).default(3).describe("Attempts per task (work, verify, review)."),
  maxMissionRounds: z.number().int().min(1).max(10).default(3).describe("Master-review rounds before the mission fails."),
  maxPlanAttempts: z.number().int().min(1).max(10).default(3).describe("Plans the planner may submit before the mission fails."),
  maxPlanTasks: z.number().int().min(1).max(1000).default(30).describe("Tasks a plan may have."),
  verifyTimeoutSeconds: z.number().int().min(1).max(3600).default(300).describe("Timeout of each verification command."),
  verifyConcurrency: z
    .union([z.literal("auto"), z.number().int().min(1).max(16)])
    .default("auto")
    .describe("Verification runs at once (each task's own, in its worktree). auto: as many as the machine's cores and free memory allow, when tasks have worktrees and the sandbox (else one at a time); a number: at most that many (in the shared tree, always one)."),
  diagnostics: z
    .enum(["auto", "off"])
    .default("auto")
    .describe("auto: in a TypeScript project with typescript installed and a tsconfig.json (or a JavaScript one with a jsconfig.json), the compiler's new errors in a task's changed files are evidence (a new error overrules an approve); off: never."),
  workerWeb: z.boolean().default(false).describe("Workers may use the host's webfetch and websearch tools (their sandboxed commands keep the network too)."),
  sandbox: z
    .enum(["required", "auto", "off"])
    .default("auto")
    .describe("The OS sandbox (bubblewrap) around every command a worker or the engine runs for a task. required: a mission does not start without one; auto: without one it runs with the command guard only, and says so; off: never."),
  sandboxNetwork: z
    .array(z.string().regex(/^(\*\.)?[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/, "a host name, *.domain, or an IP address"))
    .max(100)
    .default([])
    .describe("Hosts the sandboxed commands may reach (through a proxy that allows only these), e.g. [\"registry.npmjs.org\"] for installs. Empty: no network. workerWeb gives workers the whole network."),
  budget: z
    .strictObject({
      seconds: z.number().int().min(1).max(86_400).default(1800).describe("Time a child conversation (one worker attempt, one review, one plan) may take before it is aborted."),
      toolCalls: z.number().int().min(1).max(10_000).default(300).describe("Tool calls a child conversation may make before it is aborted."),
      missionTokens: z.number().int().min(1).optional().describe("Tokens (input, cached or not, output and reasoning) the whole mission may spend; reached, it pauses before its next step (raise it, then /resume-mission). Unset: no cap."),
      missionDollars: z.number().positive().optional().describe("Dollars the whole mission may spend, as the host prices the models; reached, it pauses before its next step. Unset: no cap."),
      taskTokens: z.number().int().min(1).optional().describe("Tokens one task (its workers and reviewers, every attempt) may spend; reached, the mission pauses. Unset: no cap."),
      taskDollars: z.number().positive().optional().describe("Dollars one task may spend; reached, the mission pauses. Unset: no cap."),
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
  context: Context.default(Context.parse({})),
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

/** Config files larger than this are refused (a config is a few hundred bytes). */
export const maxConfigBytes = 256 * 1024
const maxNesting = 32

/** How deep `[` and `{` nest, found without recursion (a recursive parser overflows its stack first). */
function nestingDepth(text: string): number {
  const scanner = createScanner(text, true)
  let depth = 0
  let deepest = 0
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) deepest = Math.max(deepest, ++depth)
    else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) depth--
  }
  return deepest
}

/**
 * The tree's value with every key an own property: `__proto__` or `constructor` in the file is a
 * key like any other (and so an unknown key), never a prototype that could hide real settings.
 */
function plainValue(node: Node | undefined): unknown {
  if (!node) return undefined
  if (node.type === "array") return (node.children ?? []).map(plainValue)
  if (node.type !== "object") return node.value
  const result: Record<string, unknown> = {}
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? []
    if (key) Object.defineProperty(result, String(key.value), { value: plainValue(value), enumerable: true, writable: true, configurable: true })
  }
  return result
}

/** Parses config text (JSONC). Throws ConfigError naming the file and every bad key, and nothing else. */
export function parseConfig(text: string, file: string): OrchestratorConfig {
  try {
    if (nestingDepth(text) > maxNesting) throw new ConfigError(file, [`nested deeper than ${maxNesting} levels`])
    const errors: ParseError[] = []
    const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false })
    if (errors.length > 0) {
      const problems = errors.slice(0, 10).map((error) => {
        const before = text.slice(0, error.offset)
        const line = before.split("\n").length
        const column = error.offset - before.lastIndexOf("\n")
        return `${printParseErrorCode(error.error)} at line ${line} column ${column}`
      })
      throw new ConfigError(file, problems)
    }
    const result = OrchestratorConfig.safeParse(plainValue(tree) ?? {})
    if (!result.success) throw new ConfigError(file, result.error.issues.slice(0, 20).map(describeIssue))
    return result.data as OrchestratorConfig
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(file, [`cannot be parsed (${error instanceof Error ? error.name : "error"})`])
  }
}

/**
 * Reads a config file only if it is a regular file of at most `maxConfigBytes`: a FIFO, a device
 * or a link to one (`/dev/zero`) would block or never end, at every host start. Opened without
 * blocking, then checked on the open descriptor, so it cannot be swapped in between.
 */
function readRegularFile(file: string, shownAs: string): string | undefined {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw new ConfigError(shownAs, [`cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`])
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new ConfigError(shownAs, ["is not a regular file"])
    if (stat.size > maxConfigBytes) throw new ConfigError(shownAs, [`is larger than ${maxConfigBytes / 1024} KiB`])
    // Sized from fstat; one byte more tells a file that grew past the cap since.
    const buffer = Buffer.alloc(Math.min(stat.size, maxConfigBytes) + 1)
    let length = 0
    for (let read = 1; read > 0 && length <= maxConfigBytes; length += read) read = readSync(fd, buffer, length, buffer.length - length, null)
    if (length > maxConfigBytes) throw new ConfigError(shownAs, [`is larger than ${maxConfigBytes / 1024} KiB`])
    return buffer.subarray(0, length).toString("utf8")
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(shownAs, [`cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`])
  } finally {
    closeSync(fd)
  }
}

/** Loads `.opencode/orchestrator.json` of a project; defaults when it does not exist. */
export function loadConfig(projectDirectory: string): OrchestratorConfig {
  // Named relative to the project: the message is shown as is, and must not carry a foreign path.
  const text = readRegularFile(path.join(projectDirectory, configRelativePath), configRelativePath)
  return parseConfig(text ?? "{}", configRelativePath)
}

/** The JSON schema shipped for editors (`schema/orchestrator.schema.json`). */
export function configJsonSchema(): object {
  return z.toJSONSchema(OrchestratorConfig, { io: "input" })
}
