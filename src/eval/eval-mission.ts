// The eval suite's missions (eval/missions/<id>/): a seed project, the mission's words, the
// project's visible test command (the agents' verification), a hidden test command over tests
// no agent ever sees, and, for the scripted model, a plan with the files that solve the mission
// and the files that solve it wrongly.
import { execFileSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { z } from "zod"

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/** The suite that ships with the package. */
export const suiteFolder = path.join(packageRoot, "eval", "missions")

/** Where the hidden tests go in the project, once the run has ended (nothing else may be there). */
export const hiddenTestsFolder = "hidden-tests"

const MissionSpec = z.strictObject({
  goal: z.string().min(1),
  /** What kind of work: "bug fix with a failing test", "dependent chain" … */
  shape: z.string().min(1),
  language: z.enum(["javascript", "python"]),
  /** Commands the mission's tests need on PATH; a mission whose are missing is skipped, and says so. */
  requires: z.array(z.string().regex(/^[\w.-]+$/)).default([]),
  /** The project's own tests: the agents' verification, run again by the harness on the result. */
  verify: z.string().min(1),
  /** Runs the hidden tests (from the project's root, with them in `hidden-tests/`): exit 0 is success. */
  hidden: z.string().min(1),
  /** The answer to the question the mission's words leave open, given when an agent asks (or ends without work). */
  clarification: z.string().min(1).optional(),
})
export type MissionSpec = z.infer<typeof MissionSpec>

const ScriptedTask = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  acceptance: z.array(z.string()).min(1),
  files: z.array(z.string()).min(1),
  dependsOn: z.array(z.string()).default([]),
})

/** The scripted model's part: the plan it submits, and the question it asks first (missions with a clarification). */
const ScriptedSpec = z.strictObject({
  question: z.string().optional(),
  tasks: z.array(ScriptedTask).min(1),
})
export type ScriptedSpec = z.infer<typeof ScriptedSpec>

export interface EvalMission {
  id: string
  folder: string
  spec: MissionSpec
  scripted: ScriptedSpec
  /** Files by path (relative, "/"-separated) that the solving run writes. */
  solve: Map<string, string>
  /** Files that the wrong run writes instead of the solving run's. */
  wrong: Map<string, string>
}

export class EvalMissionError extends Error {
  readonly name = "EvalMissionError"
}

/** Every file under `folder`, by its path relative to it. */
export function readTree(folder: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else files.set(path.relative(folder, full).split(path.sep).join("/"), readFileSync(full, "utf8"))
    }
  }
  if (existsSync(folder)) walk(folder)
  return files
}

function parsed<T>(schema: z.ZodType<T>, file: string): T {
  const result = schema.safeParse(JSON.parse(readFileSync(file, "utf8")))
  if (!result.success) throw new EvalMissionError(`${file}: ${z.prettifyError(result.error)}`)
  return result.data
}

export function loadEvalMission(folder: string): EvalMission {
  const id = path.basename(folder)
  const spec = parsed(MissionSpec, path.join(folder, "mission.json"))
  const scripted = parsed(ScriptedSpec, path.join(folder, "scripted", "plan.json"))
  const solve = readTree(path.join(folder, "scripted", "solve"))
  const wrong = readTree(path.join(folder, "scripted", "wrong"))
  const planned = new Set(scripted.tasks.flatMap((task) => task.files))
  const problems = [
    ...[...solve.keys()].filter((file) => !planned.has(file)).map((file) => `scripted/solve/${file} is in no task's files`),
    ...[...wrong.keys()].filter((file) => !solve.has(file)).map((file) => `scripted/wrong/${file} replaces no file of scripted/solve`),
    ...(wrong.size ? [] : ["scripted/wrong has no files"]),
    ...(readTree(path.join(folder, "hidden")).size ? [] : ["hidden/ has no tests"]),
    ...(spec.clarification && !scripted.question ? ["a mission with a clarification needs the scripted question"] : []),
  ]
  if (problems.length) throw new EvalMissionError(`eval mission ${id}: ${problems.join("; ")}`)
  return { id, folder, spec, scripted, solve, wrong }
}

/** The missions of a suite folder, in name order; `only` picks some by id (an unknown id is an error). */
export function loadEvalMissions(folder = suiteFolder, only?: string[]): EvalMission[] {
  const ids = readdirSync(folder)
    .filter((name) => existsSync(path.join(folder, name, "mission.json")))
    .sort()
  const unknown = (only ?? []).filter((id) => !ids.includes(id))
  if (unknown.length) throw new EvalMissionError(`no eval mission ${unknown.join(", ")} (there are: ${ids.join(", ")})`)
  return ids.filter((id) => !only?.length || only.includes(id)).map((id) => loadEvalMission(path.join(folder, id)))
}

/** The files a scripted run writes: the solving ones, with the wrong run's in their place for "wrong". */
export function scriptedFiles(mission: EvalMission, variant: "solve" | "wrong"): Map<string, string> {
  return variant === "solve" ? mission.solve : new Map([...mission.solve].map(([file, content]) => [file, mission.wrong.get(file) ?? content]))
}

/** The commands a mission requires that this machine's PATH lacks (it is skipped, and says so). */
export function missingCommands(mission: EvalMission): string[] {
  return mission.spec.requires.filter((command) => {
    try {
      execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" })
      return false
    } catch {
      return true
    }
  })
}

