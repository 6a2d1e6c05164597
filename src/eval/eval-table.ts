// The eval suite's results as a markdown table: one row per mission (and scripted scenario), the
// orchestrated run beside the single agent's, then totals. Pure.
import { formatDollars } from "../economy/spend.js"
import type { EvalMode, EvalResult } from "./eval-run.js"

const tokens = (count: number) => (count >= 1_000_000 ? `${(count / 1_000_000).toFixed(2)}M` : count >= 1000 ? `${(count / 1000).toFixed(1)}k` : String(count))
const seconds = (ms: number) => (ms / 1000).toFixed(1)

function verdict(result: EvalResult | undefined): string {
  if (!result) return "–"
  if (result.skipped) return `skipped (${result.skipped})`
  if (result.error) return `FAIL (error: ${result.error.slice(0, 60)})`
  const notes = [result.outcome, result.bound ? `${result.bound} bound` : undefined, result.visible && !result.visible.passed ? "visible tests fail" : undefined].filter(Boolean)
  return `${result.success ? "pass" : "FAIL"}${notes.length ? ` (${notes.join(", ")})` : ""}`
}

const pair = (a: EvalResult | undefined, b: EvalResult | undefined, show: (result: EvalResult) => string) =>
  [a, b].map((result) => (result && !result.skipped && !result.error ? show(result) : "–")).join(" / ")

interface Row {
  mission: string
  shape: string
  scenario: string
  runs: Partial<Record<EvalMode, EvalResult>>
}

function rows(results: EvalResult[]): Row[] {
  const byKey = new Map<string, Row>()
  for (const result of results) {
    const key = `${result.mission}\u0000${result.scenario}`
    const row = byKey.get(key) ?? { mission: result.mission, shape: result.shape, scenario: result.scenario, runs: {} }
    row.runs[result.mode] = result
    byKey.set(key, row)
  }
  return [...byKey.values()]
}

function totals(label: string, results: EvalResult[]): string {
  const of = (mode: EvalMode) => results.filter((result) => result.mode === mode && !result.skipped)
  const sum = (mode: EvalMode, value: (result: EvalResult) => number) => of(mode).reduce((total, result) => total + value(result), 0)
  const both = (show: (mode: EvalMode) => string) => (["orchestrated", "single"] as const).map((mode) => (of(mode).length ? show(mode) : "–")).join(" / ")
  const passed = (mode: EvalMode) => `${of(mode).filter((result) => result.success).length}/${of(mode).length}`
  return `| **${label}** | | | ${passed("orchestrated")} | ${of("single").length ? passed("single") : "–"} | ${both((mode) => String(sum(mode, (result) => result.requests)))} | ${both((mode) => tokens(sum(mode, (result) => result.totalTokens)))} | ${both((mode) => formatDollars(sum(mode, (result) => result.cost)))} | ${both((mode) => seconds(sum(mode, (result) => result.wallMs)))} | |`
}

/** The table and a line on what it is: a harness check on the scripted model, a measurement on a real one. */
export function evalTable(results: EvalResult[], when: Date = new Date()): string {
  const models = [...new Set(results.map((result) => result.model))]
  const scripted = models.length === 1 && models[0] === "scripted"
  const count = new Set(results.map((result) => result.mission)).size
  const lines = [
    `# Eval: ${count} mission${count === 1 ? "" : "s"}, ${scripted ? "scripted model" : `model ${models.join(", ")}`}, ${when.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    scripted
      ? "**A harness check, not a result.** The scripted model replays each mission's own solving (`solve`) and wrong (`wrong`) runs: solves must pass the hidden tests and wrong runs must fail them. Tokens and $ are the host's accounting of the scripted model's replies (its price is made up)."
      : "Success means the hidden tests pass on the project after the run. Tokens and $ are the host's accounting, as the product reports them.",
    "",
    "| mission | shape | scenario | orchestrated | one agent | requests (orch / one) | tokens (orch / one) | $ (orch / one) | time s (orch / one) | rounds · tasks · attempts |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ]
  for (const row of rows(results)) {
    const { orchestrated, single } = row.runs
    const shape = orchestrated && orchestrated.rounds !== undefined ? `${orchestrated.rounds} · ${orchestrated.tasks} · ${orchestrated.attempts}` : "–"
    lines.push(
      `| ${row.mission} | ${row.shape} | ${row.scenario} | ${verdict(orchestrated)} | ${verdict(single)} | ${pair(orchestrated, single, (result) => String(result.requests))} | ${pair(orchestrated, single, (result) => tokens(result.totalTokens))} | ${pair(orchestrated, single, (result) => formatDollars(result.cost))} | ${pair(orchestrated, single, (result) => seconds(result.wallMs))} | ${shape} |`,
    )
  }
  const scenarios = [...new Set(results.map((result) => result.scenario))]
  for (const scenario of scenarios) lines.push(totals(scenarios.length > 1 ? `total, ${scenario}` : "total", results.filter((result) => result.scenario === scenario)))
  return `${lines.join("\n")}\n`
}
