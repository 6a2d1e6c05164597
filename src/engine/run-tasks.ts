import { allowedConcurrency } from "../mission/provider-backoff.js"
import { blockedTasks, remainingPaths, selectReadyTasks } from "../mission/scheduler.js"
import type { Engine } from "./engine.js"
import { runTask } from "./task-run.js"

export type PhaseOutcome = { ok: true } | { ok: false; error: string }

/**
 * Fork-join over the task graph: start every ready task within the concurrency limit, wait for
 * any to end, repeat. After a task fails nothing new starts; running tasks finish and are kept.
 */
export async function runTasks(engine: Engine): Promise<PhaseOutcome> {
  const { mission } = engine
  const running = new Map<string, Promise<void>>()
  // The critical path of each task, once for the round (tasks are added only between rounds).
  const paths = remainingPaths(mission.state.tasks)
  while (!mission.stopped) {
    const anyFailed = mission.state.tasks.some((task) => task.status === "failed")
    // Nothing new starts after a failure or while pausing; fewer at once while the provider fails.
    if (!anyFailed && !engine.pauseReason) {
      const concurrency = allowedConcurrency(mission.config.concurrency, engine.providerFailures)
      const ready = selectReadyTasks(mission.state.tasks, new Set(running.keys()), concurrency, !mission.workspace.isolated, paths)
      for (const task of ready) {
        const run = runTask(engine, task.id)
          .catch((error: unknown) => {
            // Halted: nothing more is recorded; the mission ends as halted.
            if (!mission.halt) mission.record({ type: "task-fail", taskId: task.id, reason: `engine error: ${String(error)}` })
          })
          .finally(() => running.delete(task.id))
        running.set(task.id, run)
      }
    }
    if (running.size === 0) break
    await Promise.race(running.values())
  }
  await Promise.all(running.values())
  if (engine.pauseReason) return { ok: false, error: engine.pauseReason }

  const failed = mission.state.tasks.filter((task) => task.status === "failed")
  if (failed.length) return { ok: false, error: failed.map((task) => `task ${task.id} failed: ${task.failReason}`).join("; ") }
  const blocked = blockedTasks(mission.state.tasks).map((task) => task.id)
  const unfinished = mission.state.tasks.filter((task) => task.status !== "approved").map((task) => task.id)
  if (unfinished.length) return { ok: false, error: `tasks not done: ${unfinished.join(", ")}${blocked.length ? ` (blocked: ${blocked.join(", ")})` : ""}` }
  return { ok: true }
}
