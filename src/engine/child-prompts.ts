import { findingLine, type Evidence } from "../mission/mission-event.js"
import type { SessionBinding } from "../mission/mission-registry.js"
import type { MissionState, TaskState } from "../mission/mission-state.js"
import type { ProjectScan } from "../project/project-scan.js"
import { describeEvidence } from "../verify/verify-run.js"

const bullet = (items: string[]) => items.map((item) => `- ${item}`).join("\n")

/** The header line every task message starts with; the scripted model keys on it. */
export function taskHeader(taskId: string, attempt: number): string {
  return `Task ${taskId} · attempt ${attempt}`
}

/** `map`: the repository map (syntax/repository-map.ts), or "" when there is none. */
export function planMessage(goal: string, scan: ProjectScan, verifyCommands: string[], map = ""): string {
  return [
    `Mission: ${goal}`,
    "",
    `Project: ${scan.stack.join(", ") || "unknown stack"}`,
    `Top level: ${scan.layout.join(" ") || "(empty)"}`,
    ...(map ? ["", "Repository map (exported symbols per file, the most referenced first):", map] : []),
    "",
    `Verification the orchestrator runs: ${verifyCommands.join(" && ") || "(none)"}`,
    "",
    "Plan it and call submit_plan.",
  ].join("\n")
}

/** After the model provider failed mid-plan: the session holds the mission; this asks it to go on. */
export function planProviderRetryMessage(retry: number): string {
  return `The model provider failed (retry ${retry}). Continue planning where you stopped, then call submit_plan.`
}

export function verdictProviderRetryMessage(retry: number): string {
  return `The model provider failed (retry ${retry}). Continue your review where you stopped, then call submit_verdict.`
}

export function planReminder(): string {
  return "You have not submitted a valid plan yet. Call submit_plan now."
}

/** The whole task: what a session that does not hold it yet is told, with the findings so far on a later attempt. */
function workMessage(task: TaskState, attempt: number, verifyCommands: string[]): string {
  const lines = [taskHeader(task.id, attempt), `Title: ${task.title}`]
  if (task.description) lines.push("", task.description)
  if (task.acceptance.length) lines.push("", "Acceptance:", bullet(task.acceptance))
  if (task.files.length) lines.push("", `Files: ${task.files.join(", ")}`)
  if (attempt > 1 && task.findings.length) lines.push("", `An earlier attempt (${attempt - 1} so far) was not accepted. Fix every finding:`, bullet(task.findings.map(findingLine)))
  lines.push("", `The orchestrator will run: ${verifyCommands.join(" && ") || "(no verification configured)"}`, "When done, call submit_work.")
  return lines.join("\n")
}

/** A later attempt goes to the same session, so it carries only what changed: the findings. */
function retryMessage(task: TaskState, attempt: number): string {
  return [taskHeader(task.id, attempt), "Your previous attempt was rejected. Fix every finding, then call submit_work again:", bullet(task.findings.map(findingLine))].join("\n")
}

/** After a merge sent an approved attempt back: the findings carry the conflict or the failing evidence. */
function mergeRetryMessage(task: TaskState, attempt: number): string {
  return [taskHeader(task.id, attempt), "Your approved change could not be merged into the mission branch:", ...task.findings.map(findingLine)].join("\n")
}

/** After the model provider failed mid-attempt: the task is in the session already; this asks it to go on. */
function providerRetryMessage(task: TaskState, attempt: number, retry: number): string {
  return `${taskHeader(task.id, attempt)}\nThe model provider failed (retry ${retry}). Continue the task where it stopped, then call submit_work.`
}

export type RetryCause = "findings" | "merge" | "provider"

/**
 * What a worker is told at the start of an attempt. A session that does not hold the task yet (a
 * first attempt, or any attempt after a resume) gets the whole task plus the findings so far; the
 * short messages, only why it goes again, are for the session that already holds it.
 */
export function attemptMessage(task: TaskState, attempt: number, cause: RetryCause, providerRetry: number, verifyCommands: string[], sessionHoldsTask: boolean): string {
  if (!sessionHoldsTask) return workMessage(task, attempt, verifyCommands)
  if (cause === "provider") return providerRetryMessage(task, attempt, providerRetry)
  return cause === "merge" ? mergeRetryMessage(task, attempt) : retryMessage(task, attempt)
}

export function workReminder(task: TaskState, attempt: number): string {
  return `${taskHeader(task.id, attempt)}\nYou stopped without calling submit_work. Finish the task, then call submit_work.`
}

function evidenceBlock(evidence: Evidence[]): string {
  if (evidence.length === 0) return "(verification is turned off for this project)"
  return evidence.map((item) => describeEvidence(item)).join("\n\n")
}

/** `memory`: what the mission knows that concerns the task (context/context-builder.ts), or "". */
export function reviewMessage(task: TaskState, attempt: number, summary: string, diff: string, evidence: Evidence[], memory = "", structure = ""): string {
  return [
    taskHeader(task.id, attempt),
    `Title: ${task.title}`,
    task.description,
    task.acceptance.length ? `Acceptance:\n${bullet(task.acceptance)}` : "",
    `Worker's summary: ${summary}`,
    `Evidence (run by the orchestrator):\n${evidenceBlock(evidence)}`,
    structure,
    `Diff:\n${diff}`,
    memory,
    "Call submit_review.",
  ]
    .filter(Boolean)
    .join("\n\n")
}

export function verdictMessage(state: MissionState, diff: string, evidence: Evidence[], memory = "", structure = ""): string {
  return [
    `Mission round ${state.round}`,
    `Goal: ${state.goal}`,
    `Tasks (all approved):\n${bullet(state.tasks.map((task) => `${task.id}: ${task.title}`))}`,
    `Evidence (run by the orchestrator on the whole project):\n${evidenceBlock(evidence)}`,
    structure,
    `Diff:\n${diff}`,
    memory,
    "Call submit_verdict.",
  ]
    .filter(Boolean)
    .join("\n\n")
}

/** A message with a section at its tail (none when the section is empty). */
export const appendSection = (text: string, section: string) => (section ? `${text}\n\n${section}` : text)

const submitTool: Record<string, string> = { planner: "submit_plan", worker: "submit_work", reviewer: "submit_review", "master-reviewer": "submit_verdict" }

/**
 * What a child session must never lose, in one text: its task (header, title, description,
 * acceptance, files), the current attempt's findings and the core of the mission's memory. The
 * host's compaction is given it to keep, and it is put back after a compaction in any case.
 */
export function sessionBrief(binding: SessionBinding): string | undefined {
  if (binding.role === "commander") return undefined
  const { state } = binding.mission
  const task = binding.taskId ? state.tasks.find((item) => item.id === binding.taskId) : undefined
  const lines = [`The orchestrator's brief for this ${binding.role} session (kept through compaction).`]
  if (task) {
    lines.push(taskHeader(task.id, Math.max(1, task.attempts)), `Title: ${task.title}`)
    if (task.description) lines.push(task.description)
    if (task.acceptance.length) lines.push("Acceptance:", bullet(task.acceptance))
    if (task.files.length) lines.push(`Files: ${task.files.join(", ")}`)
    if (task.findings.length) lines.push("Findings to fix in this attempt:", bullet(task.findings.map(findingLine)))
  } else lines.push(binding.role === "master-reviewer" ? `Mission round ${state.round}` : "", `Goal: ${state.goal}`)
  const core = state.memory.items.filter((item) => item.core && (item.kind !== "interface" || !task || item.tasks.includes(task.id)))
  if (core.length) lines.push("Core of the mission's memory:", bullet(core.map((item) => `[${item.id}] ${item.text}`)))
  lines.push(`When done, call ${submitTool[binding.role]}.`)
  return lines.filter(Boolean).join("\n")
}

export function verdictReminder(kind: "review" | "verdict"): string {
  return `You stopped without a verdict. Call ${kind === "review" ? "submit_review" : "submit_verdict"} now.`
}
