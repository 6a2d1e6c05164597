import type { Scenario, ScriptedReply, ScriptedRule } from "../scripted-model/scenario.js"

/** A tiny, real change set: two independent modules and one that needs both, each with a test. */
export const sources = {
  sum: "export function sum(values) {\n  return values.reduce((total, value) => total + value, 0)\n}\n",
  sumBroken: "export function sum(values) {\n  return values.reduce((total, value) => total - value, 0)\n}\n",
  sumTest:
    'import { test } from "node:test"\nimport assert from "node:assert/strict"\nimport { sum } from "../src/sum.js"\n\ntest("sum adds numbers", () => {\n  assert.equal(sum([1, 2, 3]), 6)\n  assert.equal(sum([]), 0)\n})\n',
  product: "export function product(values) {\n  return values.reduce((total, value) => total * value, 1)\n}\n",
  productTest:
    'import { test } from "node:test"\nimport assert from "node:assert/strict"\nimport { product } from "../src/product.js"\n\ntest("product multiplies numbers", () => {\n  assert.equal(product([2, 3, 4]), 24)\n  assert.equal(product([]), 1)\n})\n',
  stats:
    'import { sum } from "./sum.js"\nimport { product } from "./product.js"\n\nexport function stats(values) {\n  return { sum: sum(values), product: product(values), mean: values.length ? sum(values) / values.length : 0 }\n}\n',
  statsTest:
    'import { test } from "node:test"\nimport assert from "node:assert/strict"\nimport { stats } from "../src/stats.js"\n\ntest("stats combines sum and product", () => {\n  assert.deepEqual(stats([1, 2, 3]), { sum: 6, product: 6, mean: 2 })\n})\n',
}

export const goal = "Add sum and product functions and a stats module that uses both, each with tests"

export const plan = [
  { id: "A", title: "Sum function", description: "src/sum.js exports sum(values).", acceptance: ["sum([1,2,3]) is 6", "test/sum.test.js passes"], files: ["src/sum.js", "test/sum.test.js"], dependsOn: [] },
  { id: "B", title: "Product function", description: "src/product.js exports product(values).", acceptance: ["product([2,3,4]) is 24", "test/product.test.js passes"], files: ["src/product.js", "test/product.test.js"], dependsOn: [] },
  { id: "C", title: "Stats module", description: "src/stats.js combines sum and product.", acceptance: ["stats([1,2,3]) gives sum 6, product 6, mean 2"], files: ["src/stats.js", "test/stats.test.js"], dependsOn: ["A", "B"] },
]

export const write = (filePath: string, content: string, delayMs?: number, waitForRequest?: ScriptedReply["waitForRequest"]): ScriptedReply => ({
  tools: [{ name: "write", args: { filePath, content } }],
  ...(delayMs ? { delayMs } : {}),
  ...(waitForRequest ? { waitForRequest } : {}),
})
export const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({ tools: [{ name, args }] })
export const say = (text: string): ScriptedReply => ({ text })

/**
 * A worker's turn: write the files (the first one slowly, and, with `alongside`, only once that
 * task's worker has been heard from, so parallel work overlaps by the engine's doing), submit, stop.
 */
export function workerRule(task: string, files: Array<[string, string]>, options: { attempt?: number; delayMs?: number; alongside?: string } = {}): ScriptedRule {
  const barrier = options.alongside ? { agent: "worker", task: options.alongside, timeoutMs: 30_000 } : undefined
  return {
    agent: "worker",
    task,
    ...(options.attempt ? { attempt: options.attempt } : {}),
    replies: [
      ...files.map(([file, content], index) => (index === 0 ? write(file, content, options.delayMs, barrier) : write(file, content))),
      call("submit_work", { summary: `Wrote ${files.map(([file]) => file).join(", ")}; the tests pass locally.` }),
      say("Submitted."),
    ],
  }
}

export const approveReview: ScriptedRule = { agent: "reviewer", replies: [call("submit_review", { verdict: "approve", findings: [] }), say("Approved.")] }
export const approveMission: ScriptedRule = { agent: "master-reviewer", replies: [call("submit_verdict", { verdict: "approve", findings: [] }), say("Approved.")] }
export const commanderRule: ScriptedRule = {
  agent: "commander",
  replies: [call("run_mission", { goal }), say("The mission ended; the report lists what was done.")],
}
export const plannerRule: ScriptedRule = { agent: "planner", replies: [call("submit_plan", { tasks: plan }), say("Plan submitted.")] }

/** A and B each hold their first write until the other's worker was heard from (at most 30 s): they overlap only if the engine ran them at once. */
export const parallelABRules: ScriptedRule[] = [
  workerRule("A", [["src/sum.js", sources.sum], ["test/sum.test.js", sources.sumTest]], { alongside: "B" }),
  workerRule("B", [["src/product.js", sources.product], ["test/product.test.js", sources.productTest]], { alongside: "A" }),
]

export const workerRules: ScriptedRule[] = [
  workerRule("A", [["src/sum.js", sources.sum], ["test/sum.test.js", sources.sumTest]], { delayMs: 1200 }),
  workerRule("B", [["src/product.js", sources.product], ["test/product.test.js", sources.productTest]], { delayMs: 1200 }),
  workerRule("C", [["src/stats.js", sources.stats], ["test/stats.test.js", sources.statsTest]]),
]

/** The happy path: plan, A and B in parallel, then C, approvals, master approval. Rules earlier in `extra` win. */
export function sumStatsScenario(extra: ScriptedRule[] = []): Scenario {
  return {
    description: "sum/product/stats: three tasks, C after A and B",
    rules: [...extra, commanderRule, plannerRule, ...workerRules, approveReview, approveMission],
    fallback: { text: "Done." },
  }
}
