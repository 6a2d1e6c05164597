// What a prompt carries from the mission's memory, within a token budget: the core first, then
// the results of the task's dependencies, then the rest of what concerns it by weight. What does
// not fit is named, with how to read it; nothing is dropped without a word.
import { weightOf, type MemoryItem, type MemoryState } from "./memory.js"
import type { CountTokens } from "./token-count.js"

export interface ContextRequest {
  /** The task the prompt is for (none: the master reviewer, who sees the whole mission). */
  taskId?: string
  dependsOn: string[]
  /** The task's planned and touched files: items naming one of them concern it. */
  files: string[]
  /** Tokens the memory section may take. */
  budget: number
  /** Items the prompt carries already in its own words (the latest findings). */
  skip?: (item: MemoryItem) => boolean
}

export interface BuiltContext {
  /** The section to append ("" when there is nothing to say). */
  text: string
  included: string[]
  omitted: string[]
  /** The dependency results handed over. */
  dependencies: string[]
  tokens: number
}

const memoryReadHint = "call memory_read with their ids to read them"

/** The request's lists as sets: every item of the memory is checked against them. */
interface RequestSets {
  taskId?: string
  dependsOn: ReadonlySet<string>
  files: ReadonlySet<string>
}

/** Whether an item concerns the request at all, and in which band it goes (lower first). */
function band(item: MemoryItem, request: RequestSets): number | undefined {
  const forTask = request.taskId !== undefined
  if (item.kind === "goal" || item.kind === "amendment" || item.kind === "master-decision") return 0
  if (item.kind === "interface") return !forTask || item.tasks.includes(request.taskId!) ? 0 : undefined
  if (item.kind === "result" && request.dependsOn.has(item.tasks[0]!)) return 1
  // The plan itself is in every message already in the part that concerns it (the task, the tasks list); memory_read has the rest.
  if (item.kind === "plan") return undefined
  if (!forTask) return item.kind === "result" ? 2 : undefined
  if (item.tasks.includes(request.taskId!)) return 2
  return item.files.some((file) => request.files.has(file)) ? 2 : undefined
}

const line = (item: MemoryItem) => `- [${item.id}] ${item.text}`
const namedAtMost = 20

/** Names what did not fit: up to 20 ids, then how many more (memory_read without ids lists them all). */
function omittedLine(ids: string[]): string {
  const more = ids.length > namedAtMost ? ` and ${ids.length - namedAtMost} more (memory_read with no ids lists every item)` : ""
  return `Not shown for lack of room (${memoryReadHint}): ${ids.slice(0, namedAtMost).join(", ")}${more}`
}

const heading = "## Mission memory"

/** The room kept for the line that names what did not fit, and the heading's: the same for every build with one counter. */
const fixedCosts = new WeakMap<CountTokens, { reserve: number; heading: number }>()
function fixedCostsOf(count: CountTokens): { reserve: number; heading: number } {
  let costs = fixedCosts.get(count)
  if (!costs) {
    costs = { reserve: count(omittedLine(Array.from({ length: namedAtMost + 1 }, (_, index) => `finding:R10-12:10:${index}`))), heading: count(heading) }
    fixedCosts.set(count, costs)
  }
  return costs
}

export function buildContext(memory: MemoryState, request: ContextRequest, count: CountTokens): BuiltContext {
  const sets: RequestSets = { taskId: request.taskId, dependsOn: new Set(request.dependsOn), files: new Set(request.files) }
  const candidates: Array<{ item: MemoryItem; order: number; band: number; weight: number }> = []
  memory.items.forEach((item, order) => {
    const itemBand = band(item, sets)
    if (itemBand !== undefined && !request.skip?.(item)) candidates.push({ item, order, band: itemBand, weight: weightOf(memory, item) })
  })
  // The core in the order it was made; the rest by weight, the newer first on a tie.
  candidates.sort((a, b) => a.band - b.band || (a.item.core && b.item.core ? a.order - b.order : b.weight - a.weight || b.order - a.order))
  const included: MemoryItem[] = []
  const omitted: MemoryItem[] = []
  const { reserve, heading: headingCost } = fixedCostsOf(count)
  let used = headingCost + 1
  for (const { item } of candidates) {
    const cost = count(line(item)) + 1
    if (used + cost + reserve <= request.budget) {
      included.push(item)
      used += cost
    } else omitted.push(item)
  }
  if (!included.length && !omitted.length) return { text: "", included: [], omitted: [], dependencies: [], tokens: 0 }
  const lines = [heading, ...included.map(line)]
  if (omitted.length) lines.push(omittedLine(omitted.map((item) => item.id)))
  const text = lines.join("\n")
  const dependencies = included.filter((item) => item.kind === "result" && sets.dependsOn.has(item.tasks[0]!)).map((item) => item.id)
  return { text, included: included.map((item) => item.id), omitted: omitted.map((item) => item.id), dependencies, tokens: count(text) }
}
