// npm run bench:context — a scripted 200-turn mission on the real host, to measure the context
// engine. Task A's worker makes 200 tool calls whose outputs vary from a line to ~12k tokens;
// B builds on A; the commander amends the mission while it runs. "Needles" are planted early and
// needed late: the goal, the amendment, A's acceptance criteria and the A→B interface (all core),
// looked for in the last request of A's worker, in B's first request, and in the reviews. Printed:
// input tokens per request by role (o200k over messages and tool schemas) against the role's
// budget, host compactions, the share of a worker's consecutive requests whose prefix is the
// previous request's bytes, and needle recall. (With pruning out of reach the same mission did not
// end: the 128k-token model context made the host compact A's worker again and again.)
// BENCH_DEBUG=1 also prints the largest worker requests and every request whose prefix changed.
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { approveMission, approveReview, call, say, sources, write } from "../src/demo/sum-stats-scenario.js"
import { messageText } from "../src/scripted-model/request-facts.js"
import type { LoggedRequest } from "../src/scripted-model/server.js"
import type { Scenario, ScriptedReply } from "../src/scripted-model/scenario.js"
import { runHost } from "../src/testing/run-host.js"
import { createSampleProject } from "../src/testing/sample-project.js"

const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-context-"))
const home = path.join(scratch, "home")
const turns = 200

const goal = "Add a sum function with a test, then a stats module that uses it"
const amendment = "Keep every module free of dependencies (needle-amend-7341)"
const planned = [
  { id: "A", title: "Sum function", description: "src/sum.js exports sum(values), after surveying docs/.", acceptance: ["sum([1,2,3]) is 6 (needle-accept-A)", "test/sum.test.js passes"], files: ["src/sum.js", "test/sum.test.js"], dependsOn: [] },
  { id: "B", title: "Stats module", description: "src/stats.js uses sum.", acceptance: ["stats([1,2,3]).sum is 6"], files: ["src/stats.js"], dependsOn: ["A"] },
]
const needles = {
  goal,
  amendment: "needle-amend-7341",
  acceptance: "needle-accept-A",
  interface: "B builds on A: Sum function",
}

/** docs/ files of very different sizes: what the worker reads. */
function seedDocs(project: string): string[] {
  mkdirSync(path.join(project, "docs"))
  // From a line to the host's read cap (2,000 lines, ~12k tokens here): most small, a few large.
  const sizes = [2, 5, 12, 30, 60, 8, 20, 150, 3, 2500]
  const names = sizes.map((lines, index) => {
    const name = `docs/part${index}.txt`
    writeFileSync(path.join(project, name), Array.from({ length: lines }, (_, line) => `part ${index} line ${line}: ${"survey ".repeat(6)}`).join("\n"))
    return name
  })
  execFileSync("git", ["add", "-A"], { cwd: project })
  execFileSync("git", ["-c", "user.email=b@b", "-c", "user.name=b", "commit", "-qm", "docs"], { cwd: project })
  return names
}

function scenario(docs: string[]): Scenario {
  // A survey: every third call reads a file, the others grep, count or list (small outputs).
  const small = (index: number): ScriptedReply =>
    [
      call("shell", { command: `wc -l ${docs[index % docs.length]}` }),
      call("grep", { pattern: `line ${index % 40}:`, path: "docs" }),
      call("shell", { command: "ls -la docs" }),
    ][index % 3]!
  const survey: ScriptedReply[] = Array.from({ length: turns - 3 }, (_, index) => (index % 3 === 0 ? call("read", { filePath: docs[(index * 7) % docs.length] }) : small(index)))
  return {
    rules: [
      // The amendment goes in while run_mission runs (two calls in one step: the host runs both).
      { agent: "commander", replies: [{ tools: [{ name: "run_mission", args: { goal } }, { name: "mission_amend", args: { text: amendment } }] }, say("The mission ended.")] },
      { agent: "planner", replies: [call("submit_plan", { tasks: planned }), say("Planned.")] },
      { agent: "worker", task: "A", replies: [...survey, write("src/sum.js", sources.sum), write("test/sum.test.js", sources.sumTest), call("submit_work", { summary: "sum with a test, after reading docs/" }), say("Submitted.")] },
      { agent: "worker", task: "B", replies: [write("src/stats.js", 'import { sum } from "./sum.js"\n\nexport function stats(values) {\n  return { sum: sum(values) }\n}\n'), call("submit_work", { summary: "stats uses sum" }), say("Submitted.")] },
      approveReview,
      approveMission,
    ],
    fallback: { text: "Done." },
  }
}

const requestTokens = (request: LoggedRequest) => countTokens(JSON.stringify(request.messages)) + countTokens(request.toolsJson)
const texts = (request: LoggedRequest) => request.messages.map(messageText).join("\n")
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0
}

interface Measured {
  label: string
  seconds: number
  exitCode: number | null
  rows: Array<{ role: string; requests: number; max: number; median: number; budget: number }>
  compactions: number
  fixed: number
  framing: number
  stable: number
  pairs: number
  recall: Array<{ where: string; found: string[]; missing: string[] }>
}

async function measure(label: string, budgets: Record<string, number>): Promise<Measured> {
  const project = createSampleProject(path.join(scratch, label.replace(/\W+/g, "-")))
  const docs = seedDocs(project)
  mkdirSync(path.join(project, ".opencode"), { recursive: true })
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["npm test"], context: { budgets }, budget: { toolCalls: 1000 } }))
  execFileSync("git", ["add", "-A"], { cwd: project })
  execFileSync("git", ["-c", "user.email=b@b", "-c", "user.name=b", "commit", "-qm", "config"], { cwd: project })
  const started = Date.now()
  const run = await runHost({ project, home, scenario: scenario(docs), args: ["--command", "task", ...goal.split(" ")], timeoutMs: 900_000 })
  const requests = run.requests.filter((request) => !request.isTitleRequest)
  const rows = ["planner", "worker", "reviewer", "master-reviewer"].map((role) => {
    const sizes = requests.filter((request) => request.agent === role).map(requestTokens)
    return { role, requests: sizes.length, max: Math.max(0, ...sizes), median: median(sizes), budget: budgets[role]! }
  })
  // Consecutive requests of one worker session: is the earlier one's message list a byte-identical prefix?
  let stable = 0
  let pairs = 0
  const workers = requests.filter((request) => request.agent === "worker")
  for (const session of new Set(workers.map((request) => request.sessionId))) {
    const own = workers.filter((request) => request.sessionId === session)
    for (let index = 1; index < own.length; index++) {
      pairs++
      const before = own[index - 1]!.messages
      if (before.every((message, at) => JSON.stringify(own[index]!.messages[at]) === JSON.stringify(message))) stable++
      else if (process.env.BENCH_DEBUG) {
        const at = before.findIndex((message, position) => JSON.stringify(own[index]!.messages[position]) !== JSON.stringify(message))
        console.log(`debug: request ${own[index]!.index} changed message ${at} of ${before.length}: ${JSON.stringify(before[at]).slice(0, 120)} -> ${JSON.stringify(own[index]!.messages[at]).slice(0, 120)}`)
      }
    }
  }
  // What the host adds to every worker request (system prompt, tool schemas), and what one tool call adds besides its output.
  const first = workers[0]!
  const fixed = countTokens(JSON.stringify(first.messages.filter((message) => message.role === "system"))) + countTokens(first.toolsJson)
  const framing = workers.slice(1, 40).map((request, index) => {
    const previous = workers[index]!
    const added = request.messages.slice(previous.messages.length)
    const text = added.map((message) => `${JSON.stringify(messageText(message))}${(message.tool_calls ?? []).map((call) => JSON.stringify(call.function?.arguments ?? "")).join("")}`).join("")
    return countTokens(JSON.stringify(added)) - countTokens(text)
  })
  if (process.env.BENCH_DEBUG) {
    const biggest = [...workers].sort((a, b) => requestTokens(b) - requestTokens(a)).slice(0, 3)
    for (const request of biggest) {
      const sizes = request.messages.map((message) => countTokens(JSON.stringify(message)))
      console.log(`debug: request ${request.index} ${requestTokens(request)} tokens, ${request.messages.length} messages, shortened ${JSON.stringify(request.messages).split("shortened by the orchestrator").length - 1}, largest messages ${[...sizes].sort((a, b) => b - a).slice(0, 4).join(",")}, last 3: ${sizes.slice(-3).join(",")}`)
    }
  }
  const lastOfA = workers.filter((request) => request.task === "A").at(-1)
  const firstOfB = workers.find((request) => request.task === "B")
  const reviewOfB = requests.find((request) => request.agent === "reviewer" && request.task === "B")
  const master = requests.find((request) => request.agent === "master-reviewer")
  const look = (where: string, request: LoggedRequest | undefined, wanted: string[]) => {
    const text = request ? texts(request) : ""
    return { where, found: wanted.filter((needle) => text.includes(needle)), missing: wanted.filter((needle) => !text.includes(needle)) }
  }
  const journal = readdirSync(path.join(project, ".opencode", "orchestrator")).filter((name) => name.startsWith("m-"))
  const events = journal.length ? readFileSync(path.join(project, ".opencode", "orchestrator", journal[0]!, "journal.jsonl"), "utf8") : ""
  return {
    label,
    seconds: (Date.now() - started) / 1000,
    exitCode: run.exitCode,
    rows,
    fixed,
    framing: Math.max(...framing),
    compactions: (events.match(/"type":"session-compact"/g) ?? []).length,
    stable,
    pairs,
    recall: [
      look("A's worker, last request", lastOfA, [needles.acceptance, needles.amendment]),
      look("B's worker, first request", firstOfB, [needles.goal, needles.amendment, needles.interface]),
      look("B's review", reviewOfB, [needles.goal, needles.amendment, needles.interface]),
      look("master review", master, [needles.goal, needles.amendment]),
    ],
  }
}

function print(result: Measured): void {
  console.log(`\n## ${result.label}: exit ${result.exitCode}, ${result.seconds.toFixed(0)} s`)
  console.log("| role | requests | max input tokens | median | budget | max / budget |")
  console.log("| --- | --- | --- | --- | --- | --- |")
  for (const row of result.rows) console.log(`| ${row.role} | ${row.requests} | ${row.max} | ${row.median} | ${row.budget} | ${(row.max / row.budget).toFixed(2)} |`)
  const over = result.rows.filter((row) => row.max > row.budget).map((row) => row.role)
  console.log(`requests over their role's budget: ${over.length ? over.join(", ") : "none"}`)
  console.log(`host compactions of our sessions: ${result.compactions}`)
  console.log(`a worker request's fixed part (system prompt and tool schemas): ${result.fixed} tokens; one tool call's framing (ids, names, JSON around its escaped text): at most ${result.framing}`)
  console.log(`worker requests whose prefix is the previous request's bytes: ${result.stable} of ${result.pairs} (${((100 * result.stable) / Math.max(1, result.pairs)).toFixed(1)}%)`)
  const found = result.recall.reduce((sum, item) => sum + item.found.length, 0)
  const all = result.recall.reduce((sum, item) => sum + item.found.length + item.missing.length, 0)
  console.log(`core needles recalled: ${found} of ${all} (${((100 * found) / all).toFixed(0)}%)`)
  for (const item of result.recall) if (item.missing.length) console.log(`  missing in ${item.where}: ${item.missing.join("; ")}`)
}

const defaults = { planner: 16_000, worker: 32_000, reviewer: 24_000, "master-reviewer": 24_000 }
console.log(`# bench:context: a ${turns}-turn worker on the real host, scripted model, o200k counts`)
const engine = await measure("default budgets", defaults)
print(engine)
