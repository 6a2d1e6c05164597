// Mission memory: what the mission learned, as a pure fold over its journal events (so a resume
// restores it exactly). Every item has a weight; at every mission step it is smoothed towards that
// step's signal, w ← α·w + (1−α)·s, where s is 1 when the item was used again since the last
// step (the same file touched, the same finding repeated, a dependency read) and 0 otherwise.
// Core items (the goal, the user's amendments, the interfaces between tasks, the master's
// decisions) never decay. See docs/context.md.
import { findingLine, type Evidence, type Finding, type MissionEvent, type PlannedTask } from "../mission/mission-event.js"

export type MemoryKind = "goal" | "amendment" | "interface" | "master-decision" | "plan" | "result" | "finding" | "verify-failure"

export interface MemoryItem {
  /** Stable: the same journal gives the same ids (`goal`, `result:A`, `finding:A:2`, …). */
  id: string
  kind: MemoryKind
  text: string
  /** The tasks it is about (an interface: both ends). */
  tasks: string[]
  files: string[]
  /** The weight as of step `at`: read it with `weightOf`, which applies the decay of the steps since. */
  weight: number
  at: number
  core: boolean
}

export interface MemoryState {
  alpha: number
  /** Mission steps so far: task starts, reviews, merges, master reviews. */
  step: number
  items: MemoryItem[]
  /** Used again since the last step: reinforced at the next one. */
  used: string[]
}

export const defaultAlpha = 0.8

/** The events that are a mission step: every item decays (or is reinforced) once per step. */
const stepEvents = new Set<MissionEvent["type"]>(["task-start", "review-end", "merge-end", "master-review-end"])

const coreKinds = new Set<MemoryKind>(["goal", "amendment", "interface", "master-decision"])

export function initialMemory(alpha = defaultAlpha): MemoryState {
  return { alpha, step: 0, items: [], used: [] }
}

/**
 * An item's weight now. Unused, a weight only decays (w ← α·w each step), so it is kept as of the
 * step it last changed and decayed here: a step then costs what was used in it, not every item.
 */
export function weightOf(memory: Pick<MemoryState, "alpha" | "step">, item: MemoryItem): number {
  return item.core ? item.weight : item.weight * memory.alpha ** (memory.step - item.at)
}

const normalized = (message: string) => message.toLowerCase().replace(/\s+/g, " ").trim()
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

function add(memory: MemoryState, item: Omit<MemoryItem, "weight" | "at" | "core">): MemoryState {
  const existing = memory.items.findIndex((other) => other.id === item.id)
  const made: MemoryItem = { ...item, weight: 1, at: memory.step, core: coreKinds.has(item.kind) }
  const items = existing >= 0 ? memory.items.map((other, index) => (index === existing ? made : other)) : [...memory.items, made]
  return { ...memory, items }
}

function use(memory: MemoryState, ids: string[]): MemoryState {
  const fresh = ids.filter((id) => !memory.used.includes(id) && memory.items.some((item) => item.id === id))
  return fresh.length ? { ...memory, used: [...memory.used, ...fresh] } : memory
}

/** Items that name one of these files. */
const touching = (memory: MemoryState, files: string[]) => memory.items.filter((item) => item.files.some((file) => files.includes(file))).map((item) => item.id)

/** One step: what was used since the last one is reinforced, w ← α·w + (1−α); the rest decays (see weightOf). */
function step(memory: MemoryState): MemoryState {
  const { alpha, used } = memory
  if (!used.length) return { ...memory, step: memory.step + 1 }
  const items = memory.items.slice()
  for (const id of new Set(used)) {
    const index = items.findIndex((item) => item.id === id)
    const item = items[index]
    if (item && !item.core) items[index] = { ...item, weight: alpha * weightOf(memory, item) + (1 - alpha), at: memory.step + 1 }
  }
  return { ...memory, step: memory.step + 1, items, used: [] }
}

function planItems(memory: MemoryState, tasks: PlannedTask[], all: PlannedTask[]): MemoryState {
  let next = memory
  const byId = new Map(all.map((task) => [task.id, task]))
  for (const task of tasks)
    for (const dependency of task.dependsOn) {
      const provider = byId.get(dependency)
      const files = provider?.files.length ? ` (its files: ${provider.files.join(", ")})` : ""
      next = add(next, { id: `interface:${dependency}>${task.id}`, kind: "interface", text: `${task.id} builds on ${dependency}: ${provider?.title ?? dependency}${files}`, tasks: [dependency, task.id], files: provider?.files ?? [] })
    }
  const lines = all.map((task) => `${task.id}: ${task.title}${task.files.length ? ` [${task.files.join(", ")}]` : ""}`)
  return add(next, { id: "plan", kind: "plan", text: `The plan: ${lines.join("; ")}`, tasks: [], files: [] })
}

function findingItems(memory: MemoryState, findings: Finding[], prefix: string, kind: MemoryKind, taskId?: string): MemoryState {
  let next = memory
  findings.forEach((finding, index) => {
    // The same finding again (same task, same words): that item is used again, not made twice.
    const same = next.items.find((item) => item.kind === kind && item.tasks[0] === taskId && normalized(item.text) === normalized(findingText(finding)))
    if (same) next = use(next, [same.id])
    else next = add(next, { id: `${prefix}:${index + 1}`, kind, text: findingText(finding), tasks: taskId ? [taskId] : [], files: finding.file ? [finding.file] : [] })
  })
  return next
}

const findingText = (finding: Finding) => clip(findingLine(finding), 800)

function failureText(evidence: Evidence): string {
  const output = (evidence.outputTail || evidence.outputHead).trim()
  const ended = evidence.timedOut ? "timed out" : `exited ${evidence.exitCode}`
  return clip(`\`${evidence.command}\` ${ended}${output ? `: ${output.slice(-500)}` : ""}`, 700)
}

/** The memory after one more journal event. `plan` is every planned task so far (for interfaces). */
export function foldMemory(memory: MemoryState, event: MissionEvent, plan: PlannedTask[]): MemoryState {
  let next = memory
  switch (event.type) {
    case "mission-start":
      next = add(next, { id: "goal", kind: "goal", text: event.goal, tasks: [], files: [] })
      break
    case "mission-amend":
      next = add(next, { id: `amendment:${memory.items.filter((item) => item.kind === "amendment").length + 1}`, kind: "amendment", text: event.text, tasks: [], files: [] })
      break
    case "plan-accept":
      next = planItems(next, event.tasks, event.tasks)
      break
    case "tasks-add":
      next = planItems(next, event.tasks, [...plan, ...event.tasks])
      break
    case "work-submit":
      next = use(next, touching(next, event.touchedFiles))
      break
    case "work-commit":
      next = use(next, touching(next, event.files))
      break
    case "verify-end":
      event.evidence
        .filter((evidence) => evidence.exitCode !== 0 || evidence.timedOut)
        .forEach((evidence, index) => {
          const where = event.taskId ? `${event.taskId}:${event.attempt}` : `round${event.round}`
          next = add(next, { id: `verify-failure:${where}:${index + 1}`, kind: "verify-failure", text: failureText(evidence), tasks: event.taskId ? [event.taskId] : [], files: [] })
        })
      break
    case "review-end":
      if (event.verdict === "reject") next = findingItems(next, event.findings, `finding:${event.taskId}:${event.attempt}`, "finding", event.taskId)
      break
    case "master-review-end":
      if (event.verdict === "reject") next = findingItems(next, event.findings, `master-decision:${event.round}`, "master-decision")
      break
    case "task-result": {
      const symbols = event.symbols.length ? ` Exports: ${event.symbols.join(", ")}.` : ""
      const files = event.files.length ? ` Files: ${event.files.join(", ")}.` : ""
      next = add(next, { id: `result:${event.taskId}`, kind: "result", text: `${clip(`${event.taskId} is done: ${event.summary.trim().replace(/[.\s]+$/, "")}`, 1200)}.${files}${symbols}`, tasks: [event.taskId], files: event.files })
      break
    }
    case "context-build":
      // A dependency's result read by a task that builds on it.
      next = use(next, event.dependencies)
      break
    default:
      break
  }
  return stepEvents.has(event.type) ? step(next) : next
}
