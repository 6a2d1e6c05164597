import type { MissionEvent } from "./mission-event.js"
import { evidenceOutcome } from "./review-policy.js"
import { warningLine } from "../economy/spend-caps.js"

/** One human line per journal event, for progress output (demo, CLI, logs). */
export function eventLine(event: MissionEvent): string | undefined {
  // Every event type has a case: the compiler checks it through the return type.
  switch (event.type) {
    case "mission-start":
      return `mission ${event.missionId} started: ${event.goal}`
    case "plan-reject":
      return `plan ${event.attempt} rejected: ${event.problems.join("; ")}`
    case "plan-accept":
      return `plan accepted: ${event.tasks.map((task) => `${task.id}${task.dependsOn.length ? ` (after ${task.dependsOn.join(", ")})` : ""}`).join(", ")}`
    case "task-start":
      return `task ${event.taskId}: attempt ${event.attempt} started`
    case "work-submit":
      return `task ${event.taskId}: work submitted (${event.touchedFiles.join(", ") || "no files written"})`
    case "work-missing":
      return `task ${event.taskId}: attempt ${event.attempt} failed: ${event.reason}`
    case "verify-end": {
      const results = event.evidence.map((item) => `${item.command} → ${evidenceOutcome(item)}`).join(", ") || "no commands"
      return `${event.taskId ? `task ${event.taskId}` : `round ${event.round}`}: verified: ${results}`
    }
    case "review-end":
      return `task ${event.taskId}: review ${event.verdict}${event.overruled ? " (reviewer's approve overruled by failing evidence)" : ""}${event.findings.length ? `: ${event.findings[0]!.message.split("\n")[0]}` : ""}`
    case "workspace-open":
      return event.mode === "worktrees" ? `worktrees: mission branch ${event.branch}${event.uncommitted === "included" ? " (with your uncommitted changes)" : ""}` : `shared tree: ${event.reason}`
    case "sandbox-open":
      return event.kind === "bwrap"
        ? `sandbox: bubblewrap (workers write only their worktree${event.network ? "" : event.hosts?.length ? `, network only to ${event.hosts.join(", ")}${event.hostsUnavailable ? ` (unavailable: ${event.hostsUnavailable})` : ""}` : ", no network"}${event.pids === "none" ? ", no process limit" : ""})`
        : `NO SANDBOX: ${event.reason}; workers' commands are checked by the command guard only`
    case "mission-resume":
      return `mission resumed${event.warnings.length ? ` (${event.warnings.join("; ")})` : ""}`
    case "mission-pause":
      return `mission PAUSED: ${event.reason} (/resume-mission to go on)`
    case "task-resume":
      return `task ${event.taskId}: ${event.reason}`
    case "worktree-ready":
      return `task ${event.taskId}: worktree ready (${event.createMs + event.prepareMs} ms)`
    case "work-commit":
      return `task ${event.taskId}: committed ${event.files.join(", ") || "nothing"}`
    case "merge-start":
      return `task ${event.taskId}: merging`
    case "merge-end":
      return `task ${event.taskId}: ${event.outcome === "merged" ? (event.evidenceOf ? "merged (its tree as verified in its worktree)" : "merged") : `not merged (${event.outcome}${event.files.length ? `: ${event.files.join(", ")}` : ""}), sent back`}`
    case "workspace-close":
      if (event.landing === "shared") return undefined
      return `result: ${event.detail}${event.command ? ` (take it with: ${event.command})` : ""}`
    case "task-approve":
      return `task ${event.taskId}: approved`
    case "task-fail":
      return `task ${event.taskId}: FAILED: ${event.reason}`
    case "master-review-end":
      return `master review (round ${event.round}): ${event.verdict}${event.overruled ? " (overruled by failing evidence)" : ""}`
    case "tasks-add":
      return `round ${event.round}: ${event.tasks.length} task(s) added from the master review`
    case "usage-update":
      return undefined
    case "slots-update":
      return `model slots: ${event.model} ${event.slots} (${slotReasons[event.reason]})`
    case "budget-warn":
      return warningLine(event)
    case "mission-end":
      return `mission ${event.status.toUpperCase()}: ${event.reason}`
  }
}

const slotReasons: Record<Extract<MissionEvent, { type: "slots-update" }>["reason"], string> = {
  success: "after successes",
  overload: "the provider failed",
  "retry-after": "the provider asked to wait",
  latency: "latency rose",
  maximum: "a mission allows more",
}

