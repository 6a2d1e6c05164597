import { boundDiff } from "../context/bounded-diff.js"
import { buildContext, type ContextRequest } from "../context/context-builder.js"
import { diffBudget, memoryBudget, type BudgetedRole } from "../context/role-budgets.js"
import type { TaskState } from "../mission/mission-state.js"
import type { Engine } from "./engine.js"
import { structuralSummary } from "../syntax/structural-summary.js"

/** A whole diff is read up to this size; what the prompt shows of it is bounded in tokens. */
const diffReadLimit = 4_000_000

interface SectionFor {
  role: BudgetedRole
  task?: TaskState
  attempt?: number
  round?: number
  /** Tokens the message takes without this section. */
  messageTokens: number
  skip?: ContextRequest["skip"]
}

/** The memory section of a child's message, within its role's budget; the build is journaled (a dependency read reinforces its item). */
export async function memorySection(engine: Engine, section: SectionFor): Promise<{ text: string; tokens: number }> {
  const { mission } = engine
  const count = await engine.tokens
  const budget = mission.config.context.budgets[section.role]
  const request: ContextRequest = {
    taskId: section.task?.id,
    dependsOn: section.task?.dependsOn ?? [],
    files: section.task ? [...new Set([...section.task.files, ...section.task.touchedFiles])] : [],
    budget: memoryBudget(section.role, budget, section.messageTokens),
    skip: section.skip,
  }
  const built = buildContext(mission.state.memory, request, count)
  mission.record({
    type: "context-build",
    role: section.role,
    ...(section.task ? { taskId: section.task.id } : {}),
    ...(section.attempt !== undefined ? { attempt: section.attempt } : {}),
    ...(section.round !== undefined ? { round: section.round } : {}),
    included: built.included,
    omitted: built.omitted,
    dependencies: built.dependencies,
    tokens: section.messageTokens + built.tokens,
    budget,
  })
  return { text: built.text, tokens: built.tokens }
}

/** The whole diff of a task (or of the mission), up to the read limit. */
export function readDiff(engine: Engine, task: TaskState | undefined): Promise<string> {
  const { workspace, state } = engine.mission
  const files = (task ? [task] : state.tasks).flatMap((item) => [...item.files, ...item.touchedFiles])
  return task ? workspace.taskDiff(task.id, files, diffReadLimit) : workspace.missionDiff(files, diffReadLimit)
}

/** A task's (or the mission's) diff (`full`: `diff` when read already), and `text`: it bounded to what the role's budget leaves after `otherTokens`. */
export async function boundedDiffText(engine: Engine, role: "reviewer" | "master-reviewer", task: TaskState | undefined, otherTokens: number, diff?: string): Promise<{ text: string; full: string }> {
  const { mission } = engine
  const { workspace } = mission
  const count = await engine.tokens
  const tasks = task ? [task] : mission.state.tasks
  diff ??= await readDiff(engine, task)
  const base = workspace.diffBase(task?.id)
  // Worktrees: the work is committed; the shared tree: it is in the files.
  const readCommand = (file: string) => `git diff ${base ? `${base.slice(0, 12)} ` : ""}${workspace.isolated ? "HEAD " : ""}-- ${file}`
  const words = tasks.map((item) => [item.title, ...item.acceptance].join(" ")).join(" ")
  const budget = diffBudget(role, mission.config.context.budgets[role], otherTokens)
  const bounded = boundDiff(diff, { files: tasks.flatMap((item) => item.files), touched: tasks.flatMap((item) => item.touchedFiles), words }, budget, count, readCommand)
  return { text: bounded.text, full: diff }
}

/** The change's structure (syntax/structural-summary.ts) for a reviewer or the master, or "" when nothing structural changed. */
export async function structureSection(engine: Engine, task: TaskState | undefined): Promise<string> {
  try {
    const summary = structuralSummary(await engine.mission.workspace.changeVersions(task?.id))
    return summary ? `Structure of the change (from the syntax trees of base and head):\n${summary}` : ""
  } catch {
    return "" // the syntax engine could not load here: the diff still says everything
  }
}
