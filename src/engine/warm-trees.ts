import type { Engine } from "./engine.js"

/**
 * Task worktrees made, and the host's instance started in each, while the planner works: a new
 * directory costs the host seconds (config, plugins, providers, file watcher), which would
 * otherwise come before the first tasks' first requests. As many as tasks may run at once. Best
 * effort: a tree that cannot be made or warmed is made again when a task needs it.
 */
export async function warmTrees(engine: Engine): Promise<void> {
  const { mission, host } = engine
  if (!mission.workspace.isolated) return
  const directories = await mission.workspace.warmTrees(mission.config.concurrency).catch(() => [])
  await Promise.all(
    directories.map(async (directory) => {
      const agents = await host.agentNames(directory)
      if (!agents.ok || !agents.value.includes("worker")) return
      engine.checkedDirectories.add(directory)
      await host.warmInstance(directory)
    }),
  )
}
