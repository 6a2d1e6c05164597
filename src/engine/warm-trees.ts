import { planWidth } from "../mission/scheduler.js"
import type { Engine } from "./engine.js"
import { plannerDirectory } from "./plan-phase.js"

/** The task trees of a new mission, and the warming of the host instance in each. */
export interface TreeWarming {
  /** The trees are made (or could not be): tasks may start; a tree still cold warms in its task's first prompt. */
  made: Promise<void>
  /** Lets the warming begin (once; later calls do nothing); given already when the planner reads the checkout. */
  start(): void
  /** No tree is warmed after the one in progress; resolves when that one is done. */
  stop(): Promise<void>
}

/**
 * Task worktrees, made while the planner works (git only), and the host's instance in each
 * started ahead of its first task: a new directory costs the host seconds of its one busy thread
 * (config, plugins, providers, file watcher). The warming waits for `start()`: given at once when
 * the planner reads the user's checkout, whose instance runs already; otherwise when the planner's
 * first request has gone out, since before that it would hold back the planner's own new
 * instance, which the mission is waiting on. Then one tree at a time, so the first is ready soonest
 * and the planner's answer is not queued behind all of them; as many as tasks may run at once, and
 * once the plan is known, no more than it can use (its width). Tasks do not wait for it: a tree a
 * task has taken is warmed by that task's prompt. Best effort: a tree that cannot be made or warmed
 * is made again, or warmed by its first prompt, when a task needs it.
 */
export function warmTrees(engine: Engine): TreeWarming {
  const { mission, host } = engine
  if (!mission.workspace.isolated) return { made: Promise.resolve(), start: () => undefined, stop: async () => undefined }
  const made = mission.workspace.warmTrees(mission.config.concurrency).catch(() => [])
  let start!: () => void
  const started = new Promise<void>((resolve) => (start = resolve))
  // The planner in the user's checkout: its instance runs already, nothing to hold back.
  if (plannerDirectory(mission.workspace) === mission.workspace.root) start()
  let stopped = false
  // All the slots until the plan is known, then its width (counted once: tasks are added only after the warm-up).
  let width: number | undefined
  const wanted = () => (mission.state.tasks.length ? (width ??= planWidth(mission.state.tasks, mission.config.concurrency)) : mission.config.concurrency)
  const warming = (async () => {
    const directories = await made
    await started
    let warm = 0
    for (const directory of directories) {
      if (stopped || mission.stopped || warm >= wanted()) return
      warm++
      // A task's session is there already: its prompt starts the instance.
      if (engine.checkedDirectories.has(directory)) continue
      const agents = await host.agentNames(directory)
      if (!agents.ok || !agents.value.includes("worker")) continue
      engine.checkedDirectories.add(directory)
      await host.warmInstance(directory)
    }
  })()
  return {
    made: made.then(() => undefined),
    start,
    stop: () => {
      stopped = true
      start()
      return warming
    },
  }
}
