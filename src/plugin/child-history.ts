// Our hooks into the host's message handling, for our child sessions only (never the user's):
// the brief given to a compaction and put back after it, and the pruning of old tool outputs.
import type { MissionRegistry } from "../mission/mission-registry.js"
import { newPruneMemory, pruneHistory, type HistoryMessage, type PruneMemory } from "../context/history-prune.js"
import { historyBudget, type BudgetedRole } from "../context/role-budgets.js"
import { tokenCounter } from "../context/token-count.js"
import { sessionBrief } from "../engine/child-prompts.js"

export class ChildHistory {
  private readonly pruning = new Map<string, PruneMemory>()
  /** The brief a session's compaction was given: the same text is put back after it, every request (stable bytes). */
  private readonly briefs = new Map<string, string>()

  constructor(private readonly registry: MissionRegistry) {}

  /** `experimental.session.compacting`: the brief for the summary to keep. */
  compacting(sessionId: string): string | undefined {
    const binding = this.registry.binding(sessionId)
    const brief = binding && sessionBrief(binding)
    if (!brief) return undefined
    this.briefs.set(sessionId, brief)
    if (binding.mission.state.status === "running" && !binding.mission.halt)
      binding.mission.record({ type: "session-compact", sessionId, role: binding.role, ...(binding.taskId ? { taskId: binding.taskId } : {}) })
    return brief
  }

  /** `experimental.chat.messages.transform`: the brief after a compaction, then pruning within the role's budget. */
  async transform(messages: HistoryMessage[]): Promise<void> {
    const sessionId = messages[0]?.info.sessionID
    const binding = sessionId ? this.registry.binding(sessionId) : undefined
    if (!sessionId || !binding || binding.role === "commander") return
    this.restoreBrief(sessionId, messages)
    const role = binding.role as BudgetedRole
    const budget = historyBudget(role, binding.mission.config.context.budgets[role])
    let memory = this.pruning.get(sessionId)
    if (!memory) this.pruning.set(sessionId, (memory = newPruneMemory()))
    pruneHistory(messages, memory, { budget }, await tokenCounter())
  }

  /** After a compaction the history starts at its summary: the brief goes into the first user message after it. */
  private restoreBrief(sessionId: string, messages: HistoryMessage[]): void {
    let compacted = -1
    messages.forEach((message, index) => {
      if (message.parts.some((part) => part.type === "compaction")) compacted = index
    })
    if (compacted < 0) return
    const next = messages.findIndex((message, index) => index > compacted && message.info.role === "user" && !message.parts.some((part) => part.type === "compaction"))
    if (next < 0) return
    const binding = this.registry.binding(sessionId)
    const brief = this.briefs.get(sessionId) ?? (binding && sessionBrief(binding))
    if (!brief) return
    this.briefs.set(sessionId, brief)
    const target = messages[next]!
    target.parts.push({ id: `prt_orchestrator_brief_${target.info.id}`, type: "text", text: brief, sessionID: sessionId, messageID: target.info.id, synthetic: true } as never)
  }
}
