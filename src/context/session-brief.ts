// What a child session must never lose, in one text: its task (header, title, description,
// acceptance, files), the current attempt's findings and the core of the mission's memory. The
// host's compaction is given it to keep, and it is put back after a compaction in any case.
import type { SessionBinding } from "../mission/mission-registry.js"

const bullet = (items: string[]) => items.map((item) => `- ${item}`).join("\n")

const submitTool: Record<string, string> = { planner: "submit_plan", worker: "submit_work", reviewer: "submit_review", "master-reviewer": "submit_verdict" }

export function sessionBrief(binding: SessionBinding): string | undefined {
  if (binding.role === "commander") return undefined
  const { state } = binding.mission
  const task = binding.taskId ? state.tasks.find((item) => item.id === binding.taskId) : undefined
  const lines = [`The orchestrator's brief for this ${binding.role} session (kept through compaction).`]
  if (task) {
    lines.push(`Task ${task.id} · attempt ${Math.max(1, task.attempts)}`, `Title: ${task.title}`)
    if (task.description) lines.push(task.description)
    if (task.acceptance.length) lines.push("Acceptance:", bullet(task.acceptance))
    if (task.files.length) lines.push(`Files: ${task.files.join(", ")}`)
    if (task.findings.length) lines.push("Findings to fix in this attempt:", bullet(task.findings.map((finding) => `${finding.file ? `${finding.file}: ` : ""}${finding.message}`)))
  } else lines.push(binding.role === "master-reviewer" ? `Mission round ${state.round}` : "", `Goal: ${state.goal}`)
  const core = state.memory.items.filter((item) => item.core && (item.kind !== "interface" || !task || item.tasks.includes(task.id)))
  if (core.length) lines.push("Core of the mission's memory:", bullet(core.map((item) => `[${item.id}] ${item.text}`)))
  lines.push(`When done, call ${submitTool[binding.role]}.`)
  return lines.filter(Boolean).join("\n")
}
