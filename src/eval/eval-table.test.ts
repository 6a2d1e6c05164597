import { test } from "node:test"
import assert from "node:assert/strict"
import { evalTable } from "./eval-table.js"
import { harnessHolds } from "./eval-command.js"
import type { EvalResult } from "./eval-run.js"

const tokens = { input: 900, output: 100, reasoning: 0, cacheRead: 0, cacheWrite: 0 }
function result(mission: string, mode: EvalResult["mode"], scenario: EvalResult["scenario"], success: boolean, extra: Partial<EvalResult> = {}): EvalResult {
  return { mission, shape: "refactor", language: "javascript", mode, scenario, model: scenario === "model" ? "p/m" : "scripted", success, sandboxed: true, wallMs: 2000, requests: 4, tokens, totalTokens: 1000, cost: 0.5, clarifications: 0, project: "/p", log: "/l", ...extra }
}

test("one row per mission and scenario, orchestrated beside the single agent, totals per scenario", () => {
  const table = evalTable(
    [
      result("a", "orchestrated", "solve", true, { outcome: "landed", rounds: 1, tasks: 2, attempts: 3, requests: 10, totalTokens: 12_345 }),
      result("a", "single", "solve", true),
      result("a", "orchestrated", "wrong", false, { outcome: "landed" }),
      result("a", "single", "wrong", false),
    ],
    new Date("2026-12-02T01:00:00Z"),
  )
  assert.match(table, /A harness check, not a result/)
  assert.match(table, /\| a \| refactor \| solve \| pass \(landed\) \| pass \| 10 \/ 4 \| 12\.3k \/ 1\.0k \| 0\.5000 \/ 0\.5000 \| 2\.0 \/ 2\.0 \| 1 · 2 · 3 \|/)
  assert.match(table, /\| a \| refactor \| wrong \| FAIL \(landed\) \| FAIL \|/)
  assert.match(table, /\| \*\*total, solve\*\* \| \| \| 1\/1 \| 1\/1 \| 10 \/ 4 \|/)
  assert.match(table, /\| \*\*total, wrong\*\* \| \| \| 0\/1 \| 0\/1 \|/)
})

test("a real model's table is a measurement; skipped and failed runs say why", () => {
  const table = evalTable([result("a", "orchestrated", "model", false, { error: "host did not start" }), result("b", "orchestrated", "model", false, { skipped: "python3 not found" })])
  assert.doesNotMatch(table, /harness check/)
  assert.match(table, /model p\/m/)
  assert.match(table, /FAIL \(error: host did not start\)/)
  assert.match(table, /skipped \(python3 not found\)/)
  assert.match(table, /\| \*\*total\*\* \| \| \| 0\/1 \| – \|/)
})

test("the harness holds only when every solve passed, every wrong run failed, and something ran", () => {
  assert.equal(harnessHolds([result("a", "orchestrated", "solve", true), result("a", "orchestrated", "wrong", false)]), true)
  assert.equal(harnessHolds([result("a", "orchestrated", "solve", true), result("a", "single", "wrong", true)]), false)
  assert.equal(harnessHolds([result("a", "orchestrated", "solve", false)]), false)
  assert.equal(harnessHolds([result("a", "orchestrated", "solve", false, { skipped: "python3 not found" })]), false)
})
