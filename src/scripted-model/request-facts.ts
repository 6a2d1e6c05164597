import type { Scenario, ScriptedReply } from "./scenario.js"

/** The subset of an OpenAI chat message the scripted model reads. */
export interface ChatMessage {
  role: string
  content?: unknown
  tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>
  tool_call_id?: string
}

/** What the scripted model knows about one request, derived only from what was sent. */
export interface RequestFacts {
  agent: string
  isTitleRequest: boolean
  task?: string
  attempt?: number
  round?: number
  step: number
  lastUserText: string
}

const titleMarker = "You are a title generator"
const agentLine = /^You are the orchestrator's ([a-z][a-z-]*)\b/m
const taskLine = /^Task (\S+) · attempt (\d+)/m
const roundLine = /^Mission round (\d+)/m

export function messageText(message: ChatMessage): string {
  const content = message.content
  if (typeof content === "string") return content
  if (Array.isArray(content))
    return content
      .map((part) => (part && typeof part === "object" && "text" in part ? String(part.text) : ""))
      .join("\n")
  return ""
}

export function describeRequest(messages: ChatMessage[], agentHeader?: string): RequestFacts {
  const system = messages.filter((m) => m.role === "system").map(messageText).join("\n")
  const isTitleRequest = system.includes(titleMarker)
  const agent = system.match(agentLine)?.[1] || agentHeader || (isTitleRequest ? "title" : "default")

  let lastUserIndex = -1
  messages.forEach((message, index) => {
    if (message.role === "user") lastUserIndex = index
  })
  const step = messages.slice(lastUserIndex + 1).filter((m) => m.role === "assistant").length
  const lastUserText = lastUserIndex >= 0 ? messageText(messages[lastUserIndex]!) : ""

  const facts: RequestFacts = { agent, isTitleRequest, step, lastUserText }
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role !== "user") continue
    const text = messageText(messages[i]!)
    const task = text.match(taskLine)
    if (task && facts.task === undefined) {
      facts.task = task[1]
      facts.attempt = Number(task[2])
    }
    const round = text.match(roundLine)
    if (round && facts.round === undefined) facts.round = Number(round[1])
  }
  return facts
}

/** The first rule that matches the request and has a reply for its step; else the fallback. */
export function selectReply(scenario: Scenario, facts: RequestFacts, uses: number[] = []): { reply: ScriptedReply; rule: number } {
  if (facts.isTitleRequest) return { reply: { text: "Orchestrated mission" }, rule: -1 }
  for (const [index, rule] of scenario.rules.entries()) {
    if (rule.maxUses !== undefined && (uses[index] ?? 0) >= rule.maxUses) continue
    if (rule.agent !== undefined && rule.agent !== facts.agent) continue
    if (rule.task !== undefined && rule.task !== facts.task) continue
    if (rule.attempt !== undefined && rule.attempt !== facts.attempt) continue
    if (rule.round !== undefined && rule.round !== facts.round) continue
    if (rule.when !== undefined && !facts.lastUserText.includes(rule.when)) continue
    const reply = rule.replies[facts.step]
    if (reply) return { reply, rule: index }
  }
  return { reply: scenario.fallback, rule: -1 }
}
