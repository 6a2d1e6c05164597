import { groupBy } from "../collections/group-by.js"
import type { TaskState } from "./mission-state.js"

/**
 * Whether two tasks may run at the same time in one shared working tree. A task that declares no
 * files may touch anything, so it runs alone.
 */
export function filesOverlap(a: Pick<TaskState, "files">, b: Pick<TaskState, "files">): boolean {
  if (a.files.length === 0 || b.files.length === 0) return true
  const normalize = (file: string) => file.replaceAll("\\", "/").replace(/^\.\//, "").replace(/\/+$/, "")
  const left = a.files.map(normalize)
  return b.files.map(normalize).some((file) => left.some((other) => other === file || other.startsWith(file + "/") || file.startsWith(other + "/")))
}

/**
 * Each task's remaining path: itself plus the longest chain of unfinished tasks that wait on it
 * (1 for a task nothing waits on). Linear in tasks and dependencies; a cycle counts once.
 */
export function remainingPaths(tasks: Pick<TaskState, "id" | "dependsOn" | "status">[]): Map<string, number> {
  const edges = tasks.flatMap((task) => task.dependsOn.map((dependency) => ({ dependency, dependent: task.id })))
  const dependents = new Map([...groupBy(edges, (edge) => edge.dependency)].map(([id, group]) => [id, group.map((edge) => edge.dependent)]))
  const open = new Set(tasks.filter((task) => task.status !== "approved" && task.status !== "failed").map((task) => task.id))
  const lengths = new Map<string, number>()
  const visiting = new Set<string>()
  const length = (id: string): number => {
    const known = lengths.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0
    visiting.add(id)
    let longest = 0
    for (const next of dependents.get(id) ?? []) if (open.has(next)) longest = Math.max(longest, length(next))
    visiting.delete(id)
    lengths.set(id, longest + 1)
    return longest + 1
  }
  for (const task of tasks) length(task.id)
  return lengths
}

/**
 * The tasks to start now: pending, every dependency approved, within the free concurrency slots
 * and (when `exclusiveFiles`) not sharing files with a running or chosen task. The one with the
 * longest remaining path goes first (the critical path), then plan order. `paths`: those lengths,
 * when the caller has them (they change only when tasks are added: a task's dependents are all
 * still open while it waits).
 */
export function selectReadyTasks(tasks: TaskState[], runningIds: ReadonlySet<string>, concurrency: number, exclusiveFiles = true, paths?: ReadonlyMap<string, number>): TaskState[] {
  const approved = new Set(tasks.filter((task) => task.status === "approved").map((task) => task.id))
  const busy = tasks.filter((task) => runningIds.has(task.id))
  const chosen: TaskState[] = []
  // Nothing to choose: no room, or no pending task whose dependencies are all approved.
  if (busy.length >= concurrency || !tasks.some((task) => task.status === "pending" && !runningIds.has(task.id) && task.dependsOn.every((dependency) => approved.has(dependency)))) return chosen
  const lengths = paths ?? remainingPaths(tasks)
  const order = tasks.map((task, index) => ({ task, index })).sort((a, b) => (lengths.get(b.task.id) ?? 1) - (lengths.get(a.task.id) ?? 1) || a.index - b.index)
  for (const { task } of order) {
    if (busy.length + chosen.length >= concurrency) break
    if (task.status !== "pending" || runningIds.has(task.id)) continue
    if (!task.dependsOn.every((dependency) => approved.has(dependency))) continue
    if (exclusiveFiles && [...busy, ...chosen].some((other) => filesOverlap(task, other))) continue
    chosen.push(task)
  }
  return chosen
}

/** Pending tasks that can never start because a dependency failed (directly or through others). */
export function blockedTasks(tasks: TaskState[]): TaskState[] {
  const byId = new Map(tasks.map((task) => [task.id, task]))
  const blocked = (task: TaskState, seen: Set<string>): boolean =>
    task.dependsOn.some((id) => {
      const dependency = byId.get(id)
      if (!dependency || seen.has(id)) return false
      if (dependency.status === "failed") return true
      return blocked(dependency, new Set([...seen, id]))
    })
  return tasks.filter((task) => task.status === "pending" && blocked(task, new Set([task.id])))
}

/** Plans larger than this are given their limit by `planWidth`: the exact count costs more than it saves. */
const exactWidthUpTo = 256

/**
 * The most tasks of a plan that can ever run at once, at most `limit`: its width, the largest set
 * of tasks none of which waits on another, directly or not. By Dilworth's theorem that is the
 * number of tasks less a maximum matching of "comes before" (here found by augmenting paths).
 */
export function planWidth(tasks: Pick<TaskState, "id" | "dependsOn">[], limit: number): number {
  if (tasks.length > exactWidthUpTo) return limit
  const index = new Map(tasks.map((task, position) => [task.id, position]))
  const dependents: number[][] = tasks.map(() => [])
  for (const [position, task] of tasks.entries())
    for (const dependency of task.dependsOn) {
      const before = index.get(dependency)
      if (before !== undefined) dependents[before]!.push(position)
    }
  // Everything that comes after each task, directly or not (a cycle does not make a task its own successor).
  const later = tasks.map((_, start) => {
    const seen = new Set<number>()
    const stack = [...dependents[start]!]
    while (stack.length) {
      const next = stack.pop()!
      if (seen.has(next) || next === start) continue
      seen.add(next)
      stack.push(...dependents[next]!)
    }
    return [...seen]
  })
  const matchedTo = new Array<number>(tasks.length).fill(-1)
  const augment = (from: number, visited: Uint8Array): boolean => {
    for (const to of later[from]!) {
      if (visited[to]) continue
      visited[to] = 1
      if (matchedTo[to] === -1 || augment(matchedTo[to]!, visited)) {
        matchedTo[to] = from
        return true
      }
    }
    return false
  }
  let matched = 0
  for (const position of tasks.keys()) if (augment(position, new Uint8Array(tasks.length))) matched++
  return Math.min(limit, tasks.length - matched)
}
