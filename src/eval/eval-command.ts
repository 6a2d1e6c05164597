// `opencode-orchestrator eval`: the suite's missions, orchestrated and (with --single) by one plain
// `build` agent, each in a fresh copy, up to `parallel` at once; a JSON result file and a markdown
// table. On the scripted model it checks the harness: every solving run must succeed and every
// wrong one must fail, or the command exits 1.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import pLimit from "p-limit"
import { loadEvalMissions, suiteFolder } from "./eval-mission.js"
import { runEval, type EvalMode, type EvalResult, type EvalRunSpec } from "./eval-run.js"
import { evalTable } from "./eval-table.js"
import type { RunBounds } from "./eval-project.js"
import type { ScriptedVariant } from "./eval-scenarios.js"

export interface EvalOptions {
  binary: string
  /** Mission ids (default: all). */
  missions?: string[]
  /** provider/model; unset: the scripted model. */
  model?: string
  single: boolean
  /** Scripted only: one of the two runs (default both). */
  scenario?: ScriptedVariant
  parallel: number
  bounds: RunBounds
  /** Where results.json, results.md and the logs go. */
  out: string
  /** Keep every run's project and host home (else removed once its log is saved). */
  keep: boolean
  suite?: string
  write(text: string): void
  writeError(text: string): void
}

export const defaultBounds = { scripted: { tokens: 2_000_000, dollars: 5, seconds: 300 }, model: { tokens: 2_000_000, dollars: 5, seconds: 1800 } }

/** Did the harness hold: something ran, every scripted solve succeeded and every wrong run failed (skipped missions aside)? */
export function harnessHolds(results: EvalResult[]): boolean {
  const ran = results.filter((result) => !result.skipped)
  return ran.length > 0 && ran.every((result) => (result.scenario === "wrong" ? !result.success : result.scenario === "solve" ? result.success : true))
}

export async function runEvalCommand(options: EvalOptions): Promise<number> {
  const missions = loadEvalMissions(options.suite ?? suiteFolder, options.missions)
  const modes: EvalMode[] = options.single ? ["orchestrated", "single"] : ["orchestrated"]
  const variants: Array<ScriptedVariant | undefined> = options.model ? [undefined] : options.scenario ? [options.scenario] : ["solve", "wrong"]
  const specs: EvalRunSpec[] = missions.flatMap((mission) => variants.flatMap((variant) => modes.map((mode) => ({ mission, mode, variant, model: options.model }))))
  const scratch = mkdtempSync(path.join(os.tmpdir(), "opencode-orchestrator-eval-"))
  mkdirSync(path.join(options.out, "logs"), { recursive: true })
  options.writeError(`eval: ${specs.length} runs of ${missions.length} missions, ${options.parallel} at once, on ${options.model ?? "the scripted model"}; work in ${scratch}\n`)
  const stop = new AbortController()
  const onInterrupt = () => stop.abort()
  process.once("SIGINT", onInterrupt)
  const limit = pLimit(options.parallel)
  // In suite order, whatever order the runs end in (a run not started after Ctrl-C leaves a hole).
  const slots: Array<EvalResult | undefined> = specs.map(() => undefined)
  try {
    await Promise.all(
      specs.map((spec, index) =>
        limit(async () => {
          const name = `${spec.mission.id}-${spec.mode}-${spec.variant ?? "model"}`
          if (stop.signal.aborted) return
          const result = await runEval(spec, { binary: options.binary, folder: path.join(scratch, name), bounds: options.bounds, signal: stop.signal })
          if (existsSync(result.log)) copyFileSync(result.log, path.join(options.out, "logs", `${name}.log`))
          result.log = path.join(options.out, "logs", `${name}.log`)
          if (!options.keep) rmSync(path.dirname(result.project), { recursive: true, force: true })
          slots[index] = result
          const how = result.skipped ? `skipped: ${result.skipped}` : result.error ? `error: ${result.error}` : `${result.success ? "pass" : "FAIL"}${result.outcome ? ` (${result.outcome})` : ""} in ${(result.wallMs / 1000).toFixed(1)} s, ${result.requests} requests, ${result.totalTokens} tokens`
          options.writeError(`eval: ${name}: ${how}\n`)
        }),
      ),
    )
  } finally {
    process.off("SIGINT", onInterrupt)
    if (!options.keep) rmSync(scratch, { recursive: true, force: true })
  }
  const results = slots.filter((result): result is EvalResult => result !== undefined)
  const table = evalTable(results)
  writeFileSync(path.join(options.out, "results.json"), `${JSON.stringify({ model: options.model ?? "scripted", bounds: options.bounds, parallel: options.parallel, results }, null, 2)}\n`)
  writeFileSync(path.join(options.out, "results.md"), table)
  options.write(table)
  options.writeError(`eval: results in ${path.join(options.out, "results.json")} and results.md\n`)
  if (stop.signal.aborted) return 130
  if (!options.model) {
    const holds = harnessHolds(results)
    options.writeError(holds ? "eval: the harness holds: every solving run passed the hidden tests, every wrong run failed them.\n" : "eval: the harness check FAILED: a solving run did not pass, or a wrong run passed.\n")
    return holds ? 0 : 1
  }
  return results.some((result) => result.error) ? 1 : 0
}
