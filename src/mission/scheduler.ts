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
 * The tasks to start now, in plan order: pending, every dependency approved, within the free
 * concurrency slots and (when `exclusiveFiles`) not sharing files with a running or chosen task.
 */
export function selectReadyTasks(tasks: TaskState[], runningIds: ReadonlySet<string>, concurrency: number, exclusiveFiles = true): TaskState[] {
  const approved = new Set(tasks.filter((task) => task.status === "approved").map((task) => task.id))
  const busy = tasks.filter((task) => runningIds.has(task.id))
  const chosen: TaskState[] = []
  for (const task of tasks) {
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
