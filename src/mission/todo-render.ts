import type { MissionState, TaskState } from "./mission-state.js"
import { spentSoFar } from "../economy/spend.js"

const box: Record<TaskState["status"], string> = {
  pending: "[ ]",
  working: "[~]",
  reviewing: "[?]",
  merging: "[>]",
  approved: "[x]",
  failed: "[!]",
  stopped: "[-]",
}

function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function renderTask(task: TaskState): string[] {
  const details = [
    task.dependsOn.length ? `after ${task.dependsOn.join(", ")}` : "",
    task.attempts ? `attempt ${task.attempts}` : "",
    task.status !== "pending" && task.status !== "approved" ? task.status : "",
  ].filter(Boolean)
  const lines = [`- ${box[task.status]} **${task.id}** ${oneLine(task.title, 120)}${details.length ? ` (${details.join(" · ")})` : ""}`]
  if (task.files.length) lines.push(`  - files: ${task.files.map((file) => `\`${file}\``).join(", ")}`)
  for (const finding of task.findings) lines.push(`  - finding: ${finding.file ? `\`${finding.file}\`: ` : ""}${oneLine(finding.message)}`)
  if (task.failReason) lines.push(`  - ${task.status === "stopped" ? "stopped" : "failed"}: ${oneLine(task.failReason)}`)
  return lines
}

/** TODO.md: rendered by code from mission state after every change. No model edits it. */
export function renderTodo(state: MissionState): string {
  const approved = state.tasks.filter((task) => task.status === "approved").length
  const lines = [
    `# Mission ${state.missionId}`,
    "",
    `> ${oneLine(state.goal, 500)}`,
    "",
    `Status: **${state.status}** · round ${state.round} · ${approved}/${state.tasks.length} tasks approved`,
    "",
  ]
  if (state.tasks.length === 0) lines.push(state.planProblems.length ? `Plan rejected: ${state.planProblems.map((p) => oneLine(p)).join("; ")}` : "Planning…")
  for (const task of state.tasks) lines.push(...renderTask(task))
  if (state.masterFindings.length) {
    lines.push("", "## Master review findings")
    for (const finding of state.masterFindings) lines.push(`- ${finding.file ? `\`${finding.file}\`: ` : ""}${oneLine(finding.message)}`)
  }
  lines.push("", "Legend: [ ] pending · [~] working · [?] in review · [>] merging · [x] approved · [!] failed", "")
  return lines.join("\n")
}

/** One line of progress, as shown in the commander's tool title. */
export function progressLine(state: MissionState): string {
  const approved = state.tasks.filter((task) => task.status === "approved").length
  // Said from the start, not only in the report: the tasks write into the user's checkout.
  const shared = state.workspace?.mode === "shared" ? `NOT ISOLATED (${state.workspace.reason ?? "shared tree"}) · ` : ""
  const spent = spentSoFar(state)
  if (state.status !== "running") return `${shared}mission ${state.status} · ${approved}/${state.tasks.length} tasks approved${spent}`
  if (state.tasks.length === 0) return `${shared}planning${spent}`
  return `${shared}round ${state.round} · ${approved}/${state.tasks.length} tasks approved${spent}`
}

/** The warning given before any work starts when tasks will work in the user's checkout. */
export function isolationWarning(state: MissionState): string | undefined {
  if (state.workspace?.mode !== "shared") return undefined
  return `Not isolated: ${state.workspace.reason ?? "shared tree"}. Tasks write into your checkout directly.`
}
