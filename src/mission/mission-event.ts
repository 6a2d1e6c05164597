import { z } from "zod"
import { roleNames } from "../config/roles.js"

// The journal's events. The zod schemas are the one definition: the types below are inferred from
// them, and every journal line is checked against them when it is read (store/journal.ts).

const text = z.string()
const count = z.number().int().nonnegative()

export const PlannedTaskSchema = z.object({
  id: text,
  title: text,
  description: text,
  acceptance: z.array(text),
  files: z.array(text),
  dependsOn: z.array(text),
})
export type PlannedTask = z.infer<typeof PlannedTaskSchema>

export const FindingSchema = z.object({ message: text, file: text.optional() })
export type Finding = z.infer<typeof FindingSchema>

/** A finding as one text: `file: message`. */
export const findingLine = (finding: Finding) => `${finding.file ? `${finding.file}: ` : ""}${finding.message}`

/** What the engine learned by running one verification command. Never written by a model. */
export const EvidenceSchema = z.object({
  command: text,
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number().nonnegative(),
  outputHead: text,
  outputTail: text,
})
export type Evidence = z.infer<typeof EvidenceSchema>

export const TokenUsageSchema = z.object({ input: count, output: count, reasoning: count, cacheRead: count, cacheWrite: count })
export type TokenUsage = z.infer<typeof TokenUsageSchema>

/** How the mission's workspace was set up: the `workspace-open` event. */
export const WorkspaceOpeningSchema = z.object({
  mode: z.enum(["shared", "worktrees"]),
  /** Why the shared tree is used, when it is. */
  reason: text.optional(),
  branch: text.optional(),
  /** The user's HEAD at the start, and the commit the mission starts from (a snapshot commit on top of it when uncommitted changes are included). */
  head: text.optional(),
  base: text.optional(),
  uncommitted: z.enum(["included", "not-included", "none"]),
  directory: text,
  /** Where tasks work inside each worktree, relative to its top ("" or unset: the top): a project in a subfolder of its repository. */
  subfolder: text.optional(),
  /** The repository's config, hooks and attributes at the start, by hash (git-integrity.ts): checked before landing. */
  gitFiles: z.record(z.string(), text).optional(),
})
export type WorkspaceOpening = z.infer<typeof WorkspaceOpeningSchema>

/** What happened to the result and the mission's git state at its end: the `workspace-close` event. */
export const WorkspaceClosingSchema = z.object({
  landing: z.enum(["fast-forward", "applied", "branch", "nothing", "shared"]),
  detail: text,
  /** The one command that takes the result, when it did not land. */
  command: text.optional(),
  keptBranches: z.array(text),
  keptWorktrees: z.array(text),
  /** What entered your checkout, when something did. */
  landedCommits: z.array(text).optional(),
  landedFiles: z.array(text).optional(),
})
export type WorkspaceClosing = z.infer<typeof WorkspaceClosingSchema>

/** How merging an approved task into the mission branch ended. Anything but "merged" sends it back. */
export const MergeOutcomeSchema = z.enum(["merged", "conflict", "verify-fail", "error"])
export type MergeOutcome = z.infer<typeof MergeOutcomeSchema>

/** "paused": stopped by code (the model provider kept failing, or the journal could not be written); resumable. */
export type MissionStatus = "running" | "sealed" | "failed" | "stopped" | "paused"
const EndStatusSchema = z.enum(["sealed", "failed", "stopped"])

/** Why a mission stops, when it does not end by itself. Code's words: shown to the user as they are. */
export const stopReasons = {
  userAbort: "aborted by the user",
  missionStop: "stopped by mission_stop",
} as const

const verdict = z.enum(["approve", "reject"])
const modelVerdict = z.enum(["approve", "reject", "none"])
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape })

/**
 * Every journal line is one of these; mission state is a pure fold over them.
 * Names are noun-verb, in the order a mission meets them.
 */
export const MissionEventSchema = z.discriminatedUnion("type", [
  /** `memoryAlpha`: the smoothing factor of this mission's memory (context/memory.ts), fixed for its life. */
  event("mission-start", { missionId: text, goal: text, rootSessionId: text, directory: text, verifyCommands: z.array(text), memoryAlpha: z.number().min(0).max(1).optional() }),
  /** The user's amendment to a running mission (through the commander's mission_amend): core memory from then on. */
  event("mission-amend", { text }),
  event("workspace-open", WorkspaceOpeningSchema.shape),
  /** The OS sandbox the mission's commands run in, or why there is none (then the command guard alone stands). */
  event("sandbox-open", { kind: z.enum(["bwrap", "none"]), reason: text.optional(), pids: z.enum(["cgroup", "ulimit", "none"]).optional(), network: z.boolean().optional(), hosts: z.array(text).optional(), hostsUnavailable: text.optional() }),
  event("mission-resume", { rootSessionId: text, pid: z.number().int(), warnings: z.array(text) }),
  event("task-resume", { taskId: text, reason: text, attemptCounted: z.boolean() }),
  event("plan-reject", { attempt: count, problems: z.array(text) }),
  event("plan-accept", { attempt: count, tasks: z.array(PlannedTaskSchema) }),
  event("task-start", { taskId: text, attempt: count, sessionId: text }),
  event("worktree-ready", { taskId: text, attempt: count, directory: text, branch: text, base: text, createMs: z.number(), prepareMs: z.number() }),
  event("work-submit", { taskId: text, attempt: count, summary: text, touchedFiles: z.array(text) }),
  event("work-commit", { taskId: text, attempt: count, commit: text.optional(), files: z.array(text) }),
  event("work-missing", { taskId: text, attempt: count, reason: text }),
  event("verify-end", { taskId: text.optional(), attempt: count.optional(), round: count.optional(), evidence: z.array(EvidenceSchema) }),
  event("review-end", { taskId: text, attempt: count, sessionId: text, modelVerdict, verdict, overruled: z.boolean(), findings: z.array(FindingSchema) }),
  event("merge-start", { taskId: text, attempt: count }),
  event("merge-end", {
    taskId: text,
    attempt: count,
    outcome: MergeOutcomeSchema,
    commit: text.optional(),
    files: z.array(text),
    findings: z.array(FindingSchema),
    evidence: z.array(EvidenceSchema),
    durationMs: z.number(),
    /** The mission commit `evidence` verified: the batch's tip, at or after `commit`. Absent: `commit`. */
    verified: text.optional(),
    /** The train's batch this merge went in: its number, how many tasks it took, how many verification runs it made. */
    batch: z.strictObject({ id: count, tasks: count, verifyRuns: count }).optional(),
    /** The task whose own verification, in its worktree, ran on this very tree: its evidence is `evidence`, not run again. */
    evidenceOf: text.optional(),
  }),
  /** What an approved task produced, for the tasks that build on it: its summary, files and the public symbols it added. */
  event("task-result", { taskId: text, attempt: count, summary: text, files: z.array(text), symbols: z.array(text) }),
  event("task-approve", { taskId: text, attempt: count }),
  event("task-fail", { taskId: text, reason: text }),
  /** A task that was in flight when the mission stopped: it did not fail, it was not finished. */
  event("task-stop", { taskId: text, reason: text }),
  event("master-review-end", { round: count, sessionId: text, modelVerdict, verdict, overruled: z.boolean(), findings: z.array(FindingSchema) }),
  event("tasks-add", { round: count, tasks: z.array(PlannedTaskSchema) }),
  /**
   * A child session's running totals, read after each of its conversations (`attempt`: which one);
   * or, with `messageId`, one step of the commander in the root session (whose earlier turns are the user's).
   */
  event("usage-update", { sessionId: text, messageId: text.optional(), role: z.enum(roleNames), taskId: text.optional(), attempt: count.optional(), tokens: TokenUsageSchema, cost: z.number(), requests: count.optional() }),
  /** The adaptive slots of a provider/model changed (concurrency/adaptive-slots.ts): why, and, after a Retry-After, until when new conversations wait (epoch ms). */
  event("slots-update", { model: text, slots: count, reason: z.enum(["success", "overload", "retry-after", "latency", "maximum"]), until: z.number().optional() }),
  /** A spend cap is 80% spent (said once per cap and task). */
  event("budget-warn", { cap: z.enum(["missionTokens", "missionDollars", "taskTokens", "taskDollars"]), taskId: text.optional(), spent: z.number(), limit: z.number() }),
  /**
   * A prompt the engine built: which memory items went in, which did not fit (named in the prompt),
   * which dependency results it handed over, and its size against the role's budget (tokens).
   */
  event("context-build", {
    role: z.enum(roleNames),
    taskId: text.optional(),
    attempt: count.optional(),
    round: count.optional(),
    included: z.array(text),
    omitted: z.array(text),
    dependencies: z.array(text),
    tokens: count,
    budget: count,
  }),
  /** The host compacted one of our child sessions (it was given the session's brief to keep). */
  event("session-compact", { sessionId: text, role: z.enum(roleNames), taskId: text.optional() }),
  event("workspace-close", WorkspaceClosingSchema.shape),
  event("mission-pause", { reason: text }),
  event("mission-end", { status: EndStatusSchema, reason: text }),
])
export type MissionEvent = z.infer<typeof MissionEventSchema>

export type MissionEventType = MissionEvent["type"]

/** The journal's schema version. 2 added `seq`; version 1 journals (no `seq`) are still read. */
export const journalVersion = 2

/** A journal line: the event, when it happened, the schema version and (from version 2) its place in the journal, 1, 2, 3 … */
export const JournalEntrySchema = z.intersection(MissionEventSchema, z.object({ v: z.union([z.literal(1), z.literal(2)]), at: text, seq: z.number().int().positive().optional() }))
export type JournalEntry = MissionEvent & { v: 1 | 2; at: string; seq?: number }
