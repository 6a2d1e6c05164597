import type { RoleName } from "../config/config.js"
import type { WorkspaceClosing, WorkspaceOpening } from "../workspace/workspace.js"

export interface PlannedTask {
  id: string
  title: string
  description: string
  acceptance: string[]
  files: string[]
  dependsOn: string[]
}

export interface Finding {
  message: string
  file?: string
}

/** What the engine learned by running one verification command. Never written by a model. */
export interface Evidence {
  command: string
  exitCode: number | null
  timedOut: boolean
  durationMs: number
  outputHead: string
  outputTail: string
}

export interface TokenUsage {
  input: number
  output: number
  reasoning: number
  cacheRead: number
  cacheWrite: number
}

/** How merging an approved task into the mission branch ended. Anything but "merged" sends it back. */
export type MergeOutcome = "merged" | "conflict" | "verify-fail" | "error"

/** "paused": stopped by code because the model provider kept failing; resumable. */
export type MissionStatus = "running" | "sealed" | "failed" | "stopped" | "paused"

/** Why a mission stops, when it does not end by itself. Code's words: shown to the user as they are. */
export const stopReasons = {
  userAbort: "aborted by the user",
  missionStop: "stopped by mission_stop",
} as const

/**
 * Every journal line is one of these; mission state is a pure fold over them.
 * Names are noun-verb, in the order a mission meets them.
 */
export type MissionEvent =
  | { type: "mission-start"; missionId: string; goal: string; rootSessionId: string; directory: string; verifyCommands: string[] }
  | ({ type: "workspace-open" } & WorkspaceOpening)
  | { type: "mission-resume"; rootSessionId: string; pid: number; warnings: string[] }
  | { type: "task-resume"; taskId: string; reason: string; attemptCounted: boolean }
  | { type: "plan-reject"; attempt: number; problems: string[] }
  | { type: "plan-accept"; attempt: number; tasks: PlannedTask[] }
  | { type: "task-start"; taskId: string; attempt: number; sessionId: string }
  | { type: "worktree-ready"; taskId: string; attempt: number; directory: string; branch: string; base: string; createMs: number; prepareMs: number }
  | { type: "work-submit"; taskId: string; attempt: number; summary: string; touchedFiles: string[] }
  | { type: "work-commit"; taskId: string; attempt: number; commit?: string; files: string[] }
  | { type: "work-missing"; taskId: string; attempt: number; reason: string }
  | { type: "verify-end"; taskId?: string; attempt?: number; round?: number; evidence: Evidence[] }
  | { type: "review-end"; taskId: string; attempt: number; sessionId: string; modelVerdict: "approve" | "reject" | "none"; verdict: "approve" | "reject"; overruled: boolean; findings: Finding[] }
  | { type: "merge-start"; taskId: string; attempt: number }
  | { type: "merge-end"; taskId: string; attempt: number; outcome: MergeOutcome; commit?: string; files: string[]; findings: Finding[]; evidence: Evidence[]; durationMs: number }
  | { type: "task-approve"; taskId: string; attempt: number }
  | { type: "task-fail"; taskId: string; reason: string }
  | { type: "master-review-end"; round: number; sessionId: string; modelVerdict: "approve" | "reject" | "none"; verdict: "approve" | "reject"; overruled: boolean; findings: Finding[] }
  | { type: "tasks-add"; round: number; tasks: PlannedTask[] }
  | { type: "usage-update"; sessionId: string; role: RoleName; taskId?: string; tokens: TokenUsage; cost: number }
  | ({ type: "workspace-close" } & WorkspaceClosing)
  | { type: "mission-pause"; reason: string }
  | { type: "mission-end"; status: Exclude<MissionStatus, "running" | "paused">; reason: string }

export type MissionEventType = MissionEvent["type"]

/** A journal line: the event plus when it happened and the journal's schema version. */
export type JournalEntry = MissionEvent & { v: 1; at: string }
