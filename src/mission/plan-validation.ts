import path from "node:path"
import type { PlannedTask } from "./mission-event.js"

export const planLimits = {
  /** The default; `maxPlanTasks` in the config changes it. */
  maxTasks: 30,
  maxIdLength: 40,
  maxTitleLength: 200,
  maxDescriptionLength: 4000,
  maxAcceptance: 12,
  maxAcceptanceLength: 500,
  maxFiles: 40,
  maxFileLength: 300,
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/** A plan file path problem, or undefined when the path is a plain relative path inside the project. */
export function filePathProblem(file: string): string | undefined {
  if (file.length === 0) return "is empty"
  if (file.length > planLimits.maxFileLength) return `is longer than ${planLimits.maxFileLength} characters`
  if (/[\u0000-\u001f]/.test(file)) return "contains a control character"
  if (path.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith("~")) return "must be relative to the project root"
  const normalized = path.posix.normalize(file.replaceAll("\\", "/"))
  if (normalized === ".." || normalized.startsWith("../")) return "leaves the project"
  return undefined
}

/** The cycle through `dependsOn` edges, as ids (first id repeated at the end), if there is one. */
export function findCycle(tasks: PlannedTask[]): string[] | undefined {
  const byId = new Map(tasks.map((task) => [task.id, task]))
  const state = new Map<string, "visiting" | "done">()
  const trail: string[] = []
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined
    if (state.get(id) === "visiting") return [...trail.slice(trail.indexOf(id)), id]
    state.set(id, "visiting")
    trail.push(id)
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dependency)) continue
      const cycle = visit(dependency)
      if (cycle) return cycle
    }
    trail.pop()
    state.set(id, "done")
    return undefined
  }
  for (const task of tasks) {
    const cycle = visit(task.id)
    if (cycle) return cycle
  }
  return undefined
}

/** A model's value inside a problem: JSON-quoted (control characters visible), at most 60 characters. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value)
}

const maxProblems = 30

/**
 * Every problem of a plan (at most 30), each precise enough for the planner to fix. `existingIds` are tasks of
 * earlier rounds that new tasks may depend on; `maxTasks` the config's `maxPlanTasks`. Empty result: the plan is valid.
 */
export function validatePlan(tasks: PlannedTask[], existingIds: string[] = [], maxTasks = planLimits.maxTasks): string[] {
  const problems: string[] = []
  const limits = planLimits
  if (tasks.length === 0) return ["the plan has no tasks"]
  if (tasks.length > maxTasks) problems.push(`the plan has ${tasks.length} tasks; at most ${maxTasks}`)

  const seen = new Set<string>(existingIds)
  for (const task of tasks) {
    const name = `task ${quoted(task.id)}`
    if (!idPattern.test(task.id) || task.id.length > limits.maxIdLength)
      problems.push(`${name}: id must be 1-${limits.maxIdLength} letters, digits, "-", "_" or "." and start with a letter or digit`)
    if (seen.has(task.id)) problems.push(`${name}: id is used twice`)
    seen.add(task.id)
    if (task.title.trim().length === 0 || task.title.length > limits.maxTitleLength)
      problems.push(`${name}: title must be 1-${limits.maxTitleLength} characters`)
    if (task.description.length > limits.maxDescriptionLength)
      problems.push(`${name}: description is longer than ${limits.maxDescriptionLength} characters`)
    if (task.acceptance.length > limits.maxAcceptance) problems.push(`${name}: more than ${limits.maxAcceptance} acceptance criteria`)
    if (task.acceptance.some((item) => item.length > limits.maxAcceptanceLength))
      problems.push(`${name}: an acceptance criterion is longer than ${limits.maxAcceptanceLength} characters`)
    if (task.files.length > limits.maxFiles) problems.push(`${name}: more than ${limits.maxFiles} files`)
    for (const file of task.files) {
      const problem = filePathProblem(file)
      if (problem) problems.push(`${name}: file ${quoted(file)} ${problem}`)
    }
  }

  const allIds = new Set([...existingIds, ...tasks.map((task) => task.id)])
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (dependency === task.id) problems.push(`task ${quoted(task.id)}: depends on itself`)
      else if (!allIds.has(dependency)) problems.push(`task ${quoted(task.id)}: depends on ${quoted(dependency)}, which is not a task`)
    }
  }
  const cycle = findCycle(tasks.map((task) => ({ ...task, dependsOn: task.dependsOn.filter((d) => d !== task.id) })))
  if (cycle) problems.push(`dependency cycle: ${cycle.map((id) => (id.length > 60 ? quoted(id) : id)).join(" -> ")}; remove one of these dependencies`)
  return problems.length > maxProblems ? [...problems.slice(0, maxProblems), `… and ${problems.length - maxProblems} more problems`] : problems
}

/** What the plan is checked against in the repository (the syntax engine's map gives it; tests give their own). */
export interface RepositoryFacts {
  fileExists(file: string): boolean
  /** The name appears in the repository's source as an identifier. */
  nameExists(name: string): boolean
  /** An existing file with the same base name, for a "did you mean". */
  similarFile(file: string): string | undefined
}

const changeVerb = /\b(change|changes|changing|modify|modifies|update|updates|fix|fixes|edit|edits|refactor|refactors|rename|renames|extend|extends|replace|replaces|remove|removes|delete|deletes)\b/i
const createWord = /\b(add|adds|adding|create|creates|new|write|writes|introduce|introduces|generate|generates|scaffold|implement|implements|define|defines)\b/i
/** A backticked code name: `name`, `name()`, `Type.member`. */
const codeName = /`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?`/g

function sentences(task: PlannedTask): string[] {
  return [task.title, task.description, ...task.acceptance].flatMap((text) => text.split(/(?<=[.!?;])\s+|\n+/)).filter(Boolean)
}

/** Sentences that say a change (and not a creation). */
const saysChange = (sentence: string) => changeVerb.test(sentence) && !createWord.test(sentence)

/**
 * Problems a planner can fix cheaply, found against the repository: a task that says it changes a
 * file that does not exist, or a code name the repository does not have. A file another task of
 * the plan lists, and a name another task says it creates, are not problems: they come into being.
 */
export function repositoryProblems(tasks: PlannedTask[], facts: RepositoryFacts): string[] {
  const problems: string[] = []
  // Each task's created names and listed files once; "another task has it" is then a count above the task's own.
  const createdBy = tasks.map((task) => new Set(sentences(task).filter((sentence) => createWord.test(sentence)).flatMap((sentence) => [...sentence.matchAll(codeName)].map((match) => match[1]!.split(".").at(-1)!))))
  const tally = (sets: Iterable<Set<string>>) => {
    const counts = new Map<string, number>()
    for (const set of sets) for (const value of set) counts.set(value, (counts.get(value) ?? 0) + 1)
    return counts
  }
  const creators = tally(createdBy)
  const listers = tally(tasks.map((task) => new Set(task.files)))
  tasks.forEach((task, index) => {
    const name = `task ${quoted(task.id)}`
    const changing = sentences(task).filter(saysChange)
    const listedByOthers = (file: string) => (listers.get(file) ?? 0) > (task.files.includes(file) ? 1 : 0)
    const createdByOthers = (symbol: string) => (creators.get(symbol) ?? 0) > (createdBy[index]!.has(symbol) ? 1 : 0)
    for (const file of task.files) {
      if (filePathProblem(file) || facts.fileExists(file) || listedByOthers(file)) continue
      const base = file.split("/").at(-1)!
      if (!changing.some((sentence) => sentence.includes(file) || sentence.includes(base))) continue
      const similar = facts.similarFile(file)
      problems.push(`${name}: says it changes ${quoted(file)}, which does not exist${similar ? ` (did you mean ${quoted(similar)}?)` : ""}; name the existing file, or say that the task creates it`)
    }
    const reported = new Set<string>()
    for (const sentence of changing)
      // "Rename `a` to `b`": only the old name must exist.
      for (const match of [...sentence.matchAll(codeName)].slice(0, /\brenam/i.test(sentence) ? 1 : undefined)) {
        const symbol = match[1]!.split(".").at(-1)!
        if (reported.has(symbol) || createdByOthers(symbol) || facts.nameExists(symbol) || task.files.some((file) => file.includes(symbol))) continue
        reported.add(symbol)
        problems.push(`${name}: changes ${quoted(match[1]!)}, which the repository's code does not name; check the name, or say that the task adds it`)
      }
  })
  return problems.slice(0, maxProblems)
}
