import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs"
import path from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { approveMission, approveReview, call, say } from "../../src/demo/sum-stats-scenario.js"
import { messageText } from "../../src/scripted-model/request-facts.js"
import type { LoggedRequest } from "../../src/scripted-model/server.js"
import { eventsOf, explain, runTask, sampleProject } from "./e2e-fixture.js"

// Issue 10 on the real host: the syntax engine (@ast-grep/napi) loads in the host's runtime, the
// planner is shown the repository map, a worker renames a function across files with
// ast_grep_rewrite, the reviewer sees the change's structure, and the mission seals.

const files: Record<string, string> = {
  "src/math.js": "export function add(a, b) {\n  return a + b\n}\n\nexport function twice(x) {\n  return add(x, x)\n}\n",
  "src/report.js": "import { add, twice } from './math.js'\n\nexport function report(values) {\n  return `total ${values.reduce((total, value) => add(total, value), 0)}, twice ${twice(values.length)}`\n}\n",
  "test/math.test.js": "import { test } from 'node:test'\nimport assert from 'node:assert/strict'\nimport { add, twice } from '../src/math.js'\n\ntest('add', () => assert.equal(add(2, 3), 5))\ntest('twice', () => assert.equal(twice(4), 8))\n",
}

function project(): string {
  const directory = sampleProject()
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true })
    writeFileSync(path.join(directory, file), text)
  }
  execFileSync("git", ["add", "-A"], { cwd: directory })
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "math"], { cwd: directory })
  return directory
}

const requestTokens = (request: LoggedRequest) => countTokens(JSON.stringify(request.messages)) + countTokens(request.toolsJson)
const toolResults = (request: LoggedRequest) => request.messages.filter((message) => message.role === "tool").map(messageText)

test("a worker renames a function across files with ast_grep_rewrite; the planner had the map, the reviewer the structure; the mission seals", async () => {
  const directory = project()
  const task = {
    id: "R",
    title: "Rename add to sum",
    description: "Rename `add` to `sum` in src/math.js and at every call, tests included.",
    acceptance: ["no function is called add any more", "the tests pass"],
    files: ["src/math.js", "src/report.js", "test/math.test.js"],
    dependsOn: [],
  }
  const scenario = {
    rules: [
      { agent: "commander", replies: [call("run_mission", { goal: "rename add to sum" }), say("Done.")] },
      // A first plan that names a function the code does not have is sent back by code; the second is taken.
      { agent: "planner", replies: [call("submit_plan", { tasks: [{ ...task, description: "Rename `addd` to `sum` in src/math.js." }] }), call("submit_plan", { tasks: [task] }), say("Plan submitted.")] },
      {
        agent: "worker",
        task: "R",
        replies: [
          call("ast_grep_search", { pattern: "add($$$ARGS)" }),
          call("ast_grep_search", { pattern: "add($A", lang: "js" }),
          call("ast_grep_rewrite", { pattern: "add($$$ARGS)", rewrite: "sum($$$ARGS)", dryRun: true }),
          call("ast_grep_rewrite", { pattern: "add($$$ARGS)", rewrite: "sum($$$ARGS)" }),
          call("ast_grep_rewrite", { pattern: "export function add($$$P) { $$$B }", rewrite: "export function sum($$$P) { $$$B }", paths: ["src"] }),
          call("ast_grep_rewrite", { pattern: "import { $$$N } from $S", rewrite: "import { $$$N } from $S", paths: ["../outside"] }),
          call("shell", { command: "sed -i 's/{ add, twice }/{ sum, twice }/' src/report.js test/math.test.js && npm test 2>&1 | grep -E '^# (pass|fail)'" }),
          call("submit_work", { summary: "renamed add to sum with ast_grep_rewrite; npm test passes" }),
          say("Submitted."),
        ],
      },
      approveReview,
      approveMission,
    ],
    fallback: { text: "Done." },
  }
  const run = await runTask(directory, scenario, ["rename", "add", "to", "sum"])
  assert.equal(run.exitCode, 0, explain(run))

  const planner = run.requests.find((request) => request.agent === "planner")!
  const plan = JSON.stringify(planner.messages)
  assert.match(plan, /Repository map \(exported symbols per file, the most referenced first\):/)
  assert.match(plan, /src\/math\.js \(named in 2 other files\)\\n {2}function add\(a, b\)\\n {2}function twice\(x\)/)
  assert.ok(requestTokens(planner) <= 16_000, `the planner's request (${requestTokens(planner)} tokens) is within its budget`)
  const rejected = eventsOf(directory, "plan-reject")
  assert.match(rejected[0]!.problems.join("\n"), /changes "addd", which the repository's code does not name/)

  const last = run.requests.filter((request) => request.agent === "worker").at(-1)!
  const results = toolResults(last)
  const all = results.join("\n---\n")
  assert.match(results[0]!, /^3 matches in 3 files:\nsrc\/math\.js:6:10: add\(x, x\)\nsrc\/report\.js:4:\d+: add\(total, value\)\ntest\/math\.test\.js:5:\d+: add\(2, 3\)$/, all)
  assert.match(results[1]!, /invalid pattern: the pattern is not valid JavaScript code/, all)
  assert.match(results[2]!, /^Would rewrite 3 matches in 3 files/, all)
  assert.match(results[3]!, /^Rewrote 3 matches in 3 files: src\/math\.js, src\/report\.js, test\/math\.test\.js\./, all)
  assert.match(results[4]!, /^Rewrote 1 match in 1 file: src\/math\.js\./, all)
  assert.match(results[5]!, /outside the task's directory/, all)
  assert.match(results[6]!, /^exit 0 [\s\S]*# fail 0/, all)

  for (const file of ["src/math.js", "src/report.js", "test/math.test.js"]) assert.doesNotMatch(readFileSync(path.join(directory, file), "utf8"), /\badd\(|\{ add\b/, `${file} landed renamed`)
  assert.match(readFileSync(path.join(directory, "src/math.js"), "utf8"), /export function sum\(a, b\)/)
  const [commit] = eventsOf(directory, "work-commit")
  assert.deepEqual([...commit!.files].sort(), ["src/math.js", "src/report.js", "test/math.test.js"])

  const reviewer = JSON.stringify(run.requests.find((request) => request.agent === "reviewer")!.messages)
  assert.match(reviewer, /Structure of the change \(from the syntax trees of base and head\):/)
  assert.match(reviewer, /added exported function sum: function sum\(a, b\)/)
  assert.match(reviewer, /removed exported function add/)
  assert.equal(eventsOf(directory, "mission-end")[0]?.status, "sealed")
})

test("compiler diagnostics on the real host: a new type error overrules the reviewer's approve; the fix seals", async () => {
  const directory = sampleProject()
  mkdirSync(path.join(directory, ".opencode"), { recursive: true })
  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["true"] }))
  // The project's own compiler: this package's typescript, where a project's node_modules would have it.
  mkdirSync(path.join(directory, "node_modules"), { recursive: true })
  symlinkSync(path.join(process.cwd(), "node_modules", "typescript"), path.join(directory, "node_modules", "typescript"))
  writeFileSync(path.join(directory, ".gitignore"), "node_modules\n")
  writeFileSync(path.join(directory, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ["src"] }))
  mkdirSync(path.join(directory, "src"), { recursive: true })
  writeFileSync(path.join(directory, "src", "old.ts"), "export const old: number = 1\n")
  execFileSync("git", ["add", "-A"], { cwd: directory })
  execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "ts"], { cwd: directory })
  const task = { id: "T", title: "Add total", description: "Add src/total.ts exporting total, a number.", acceptance: ["total is a number"], files: ["src/total.ts"], dependsOn: [] }
  const scenario = {
    rules: [
      { agent: "commander", replies: [call("run_mission", { goal: "add total" }), say("Done.")] },
      { agent: "planner", replies: [call("submit_plan", { tasks: [task] }), say("Plan submitted.")] },
      { agent: "worker", task: "T", attempt: 1, replies: [call("write", { filePath: "src/total.ts", content: "export const total: number = 'ten'\n" }), call("submit_work", { summary: "total added" }), say("Submitted.")] },
      { agent: "worker", task: "T", attempt: 2, replies: [call("write", { filePath: "src/total.ts", content: "export const total: number = 10\n" }), call("submit_work", { summary: "total is a number now" }), say("Submitted.")] },
      approveReview,
      approveMission,
    ],
    fallback: { text: "Done." },
  }
  const run = await runTask(directory, scenario, ["add", "total"])
  assert.equal(run.exitCode, 0, explain(run))
  const reviews = eventsOf(directory, "review-end")
  assert.deepEqual(reviews.map((review) => [review.modelVerdict, review.verdict, review.overruled]), [["approve", "reject", true], ["approve", "approve", false]])
  const compiled = eventsOf(directory, "verify-end").map((end) => end.evidence.find((item) => item.command.startsWith("tsc --noEmit")))
  assert.equal(compiled[0]?.exitCode, 2, JSON.stringify(compiled))
  assert.match(compiled[0]!.outputHead, /src\/total\.ts\(1\): error TS2322/)
  assert.equal(compiled[1]?.exitCode, 0)
  assert.equal(readFileSync(path.join(directory, "src", "total.ts"), "utf8"), "export const total: number = 10\n")
})
