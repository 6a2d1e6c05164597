import { sandboxPidsMax } from "../sandbox/command-sandbox.js"
import type { Evidence } from "./mission-event.js"
import type { MissionState } from "./mission-state.js"
import { evidenceOutcome, evidencePassed } from "./review-policy.js"
import { outcomeLine } from "./mission-outcome.js"
import { formatDollars, formatSpend, groupSpend, missionSpend, totalTokens, type Spend } from "../economy/spend.js"

function evidenceRows(evidence: Evidence[], commands: string[]): string[] {
  if (evidence.length === 0) return [commands.length ? `Not run (the mission ended before its final verification). Commands: ${commands.map((command) => `\`${command}\``).join(", ")}` : "(no verification commands)"]
  return evidence.map((item) => `- \`${item.command}\`: ${evidenceOutcome(item)} in ${(item.durationMs / 1000).toFixed(1)} s`)
}

function verificationCell(evidence: Evidence[]): string {
  if (evidence.length === 0) return "—"
  const failed = evidence.filter((item) => !evidencePassed(item))
  return failed.length ? `failed: ${failed.map((item) => `\`${item.command}\``).join(", ")}` : `passed (${evidence.length})`
}

function sandboxLines(state: MissionState): string[] {
  const sandbox = state.sandbox
  if (!sandbox) return []
  if (sandbox.kind === "none") return ["", "## Sandbox", "", `**No OS sandbox**: ${sandbox.reason}. Workers' commands were checked by the command guard only, which reads text and can be got round.`]
  const pids = { cgroup: `at most ${sandboxPidsMax} processes (a cgroup)`, ulimit: `at most ${sandboxPidsMax} processes (ulimit)`, none: "no process limit (root without a writable cgroup)" }[sandbox.pids ?? "none"]
  return [
    "",
    "## Sandbox",
    "",
    `Every command of the workers, verification and setup ran under bubblewrap: the machine read-only but for the task's folder and a private temp dir, secrets in $HOME hidden, ${sandbox.network ? "the network kept (workerWeb)" : sandbox.hosts?.length ? `network only to ${sandbox.hosts.map((host) => `\`${host}\``).join(", ")}, through the orchestrator's proxy${sandbox.hostsUnavailable ? ` (**unavailable**: ${sandbox.hostsUnavailable})` : ""}; setup commands kept the whole network` : "no network (setup commands kept it)"}, ${pids}.`,
  ]
}

function workspaceLines(state: MissionState): string[] {
  const opening = state.workspace
  if (!opening) return []
  const lines = ["", "## Workspace", ""]
  if (opening.mode === "shared") return [...lines, `Tasks worked in your checkout: ${opening.reason ?? "shared tree"}.`]
  const uncommitted = { included: `included (as commit ${opening.base?.slice(0, 12)})`, "not-included": "**not included**", none: "none" }[opening.uncommitted]
  lines.push(`Each task worked in its own git worktree; mission branch \`${opening.branch}\` from ${opening.head?.slice(0, 12)}. Your uncommitted changes: ${uncommitted}.`)
  const closing = state.closing
  if (closing) {
    lines.push("", `Result: ${closing.detail}.`)
    if (closing.command) lines.push("", `Take it with: \`${closing.command}\``)
    if (closing.keptBranches.length) lines.push("", `Branches kept: ${closing.keptBranches.map((branch) => `\`${branch}\``).join(", ")}`)
    if (closing.keptWorktrees.length) lines.push("", `Worktrees kept: ${closing.keptWorktrees.map((directory) => `\`${directory}\``).join(", ")}`)
  }
  const failed = state.tasks.filter((task) => task.status === "failed" && task.worktree)
  for (const task of failed) lines.push("", `Failed task ${task.id} worked in \`${task.worktree!.directory}\` on \`${task.worktree!.branch}\`${closing?.keptBranches.includes(task.worktree!.branch) ? " (branch kept: it holds the task's work)" : ""}.`)
  const costed = state.tasks.filter((task) => task.worktree)
  if (costed.length) {
    lines.push("", "| task | worktree create | prepare | merge + verify |", "| --- | --- | --- | --- |")
    for (const task of costed) lines.push(`| ${task.id} | ${task.cost.createMs} ms | ${task.cost.prepareMs} ms | ${task.cost.mergeMs} ms |`)
  }
  return lines
}

const spendHeader = ["| input | cache read | cache write | output | reasoning | $ |", "| --- | --- | --- | --- | --- | --- |"]
const spendCells = (spend: Spend) => {
  const t = spend.tokens
  return `${t.input} | ${t.cacheRead} | ${t.cacheWrite} | ${t.output} | ${t.reasoning} | ${formatDollars(spend.cost)}`
}

/** Tokens and dollars by role, by task and role, and by task attempt, with the total: every number from the host's own usage reports. */
function spendLines(state: MissionState): string[] {
  const total = missionSpend(state)
  const lines = ["", "## Spend (as reported by the host)", "", `Total: ${formatSpend(total)}.`, "", `| role ${spendHeader[0]}`, `| --- ${spendHeader[1]}`]
  for (const [role, spend] of groupSpend(state.spend, (entry) => entry.role)) lines.push(`| ${role} | ${spendCells(spend)} |`)
  lines.push(`| total | ${spendCells(total)} |`)
  const byTask = groupSpend(state.spend, (entry) => (entry.taskId ? `${entry.taskId} | ${entry.role}` : undefined))
  if (byTask.size) {
    lines.push("", `| task | role ${spendHeader[0]}`, `| --- | --- ${spendHeader[1]}`)
    for (const [key, spend] of byTask) lines.push(`| ${key} | ${spendCells(spend)} |`)
  }
  const byAttempt = groupSpend(state.spend, (entry) => (entry.taskId && entry.attempt ? `${entry.taskId} | ${entry.attempt}` : undefined))
  if (byAttempt.size) {
    lines.push("", `| task | attempt | tokens | $ |`, `| --- | --- | --- | --- |`)
    for (const [key, spend] of byAttempt) lines.push(`| ${key} | ${totalTokens(spend)} | ${formatDollars(spend.cost)} |`)
  }
  if (!state.spend.some((entry) => entry.role === "commander")) lines.push("", "The commander's steps are counted as each finishes; the one that ran the mission finishes after the end, and this report is written again then.")
  return lines
}

/** report.md: what happened, from state alone. */
/** What the mission remembered (context/memory.ts), the user's amendments and the host's compactions. */
/** How the adaptive slots of each provider/model moved during the mission (concurrency/adaptive-slots.ts). */
function slotLines(state: MissionState): string[] {
  if (!state.slotChanges.length) return []
  const lines = ["", "## Model slots", "", "Conversations one provider/model may run at once, as they changed (fewer after a 429, a 5xx or rising latency; one more after successes):", ""]
  const models = [...new Set(state.slotChanges.map((change) => change.model))]
  for (const model of models) lines.push(`- ${model}: ${state.slotChanges.filter((change) => change.model === model).map((change) => `${change.slots} (${change.reason})`).join(" → ")}`)
  return lines
}

function contextLines(state: MissionState): string[] {
  const { items } = state.memory
  if (!items.length) return []
  const core = items.filter((item) => item.core).length
  const lines = ["", "## Context", "", `Memory: ${items.length} items (${core} core, never decaying), after ${state.memory.step} mission steps (alpha ${state.memory.alpha}). Compacted child sessions: ${state.compactions}.`]
  for (const amendment of items.filter((item) => item.kind === "amendment")) lines.push(`- amendment: ${amendment.text}`)
  return lines
}

export function renderReport(state: MissionState): string {
  const approved = state.tasks.filter((task) => task.status === "approved").length
  const lines = [
    `# Mission report ${state.missionId}`,
    "",
    `**${state.status.toUpperCase()}**: ${state.endReason ?? ""}`,
    "",
    outcomeLine(state),
    "",
    `Goal: ${state.goal}`,
    "",
    `Rounds: ${state.round} · plan attempts: ${state.planAttempts} · tasks approved: ${approved}/${state.tasks.length}`,
    "",
    "## Tasks",
    "",
    "| task | status | attempts | round | last verification |",
    "| --- | --- | --- | --- | --- |",
    ...state.tasks.map(
      (task) => `| ${task.id} ${task.title.replaceAll("|", "/")} | ${task.status} | ${task.attempts} | ${task.round} | ${verificationCell(task.evidence)} |`,
    ),
  ]
  const withFindings = state.tasks.filter((task) => task.findings.length || task.failReason)
  if (withFindings.length || state.masterFindings.length || state.planProblems.length) {
    lines.push("", "## Findings still open", "")
    for (const problem of state.planProblems) lines.push(`- plan: ${problem}`)
    for (const task of withFindings) {
      if (task.failReason) lines.push(`- ${task.id}: ${task.status === "stopped" ? "stopped: " : ""}${task.failReason}`)
      for (const finding of task.findings) lines.push(`- ${task.id}: ${finding.file ? `${finding.file}: ` : ""}${finding.message.split("\n")[0]}`)
    }
    for (const finding of state.masterFindings) lines.push(`- master review: ${finding.file ? `${finding.file}: ` : ""}${finding.message.split("\n")[0]}`)
  }
  lines.push(...workspaceLines(state), ...sandboxLines(state), ...contextLines(state))
  lines.push("", "## Verification evidence (whole mission)", "", ...evidenceRows(state.missionEvidence, state.verifyCommands))
  if (state.verifyCommands.length === 0) lines.push("", "Verification was turned off (`verify: []`): nothing was executed as evidence.")

  lines.push(...spendLines(state), ...slotLines(state))
  lines.push("")
  return lines.join("\n")
}
