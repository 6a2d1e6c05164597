import { test } from "node:test"
import assert from "node:assert/strict"
import { publicSymbols } from "./public-symbols.js"

test("the public symbols a diff adds: exports, top-level Python defs and classes, exported Go funcs; removed and context lines are not", () => {
  const diff = [
    "+++ b/src/stats.ts",
    "+export function mean(values: number[]) {",
    "+export const median = (values: number[]) => 0",
    "+export default class Summary {}",
    "+export { variance, deviation as stddev }",
    "+export interface Report { mean: number }",
    "+const internal = 1",
    "-export function removed() {}",
    " export function unchanged() {}",
    "+def percentile(values, p):",
    "+class Histogram(object):",
    "+    def _private(self):",
    "+func Quantile(values []float64) float64 {",
    "+func helper() {}",
  ].join("\n")
  assert.deepEqual(publicSymbols(diff), ["mean", "median", "Summary", "variance", "stddev", "Report", "percentile", "Histogram", "Quantile"])
})
