// npm run bench:tokens — what a mission costs in input tokens, orchestrated, against one bare
// OpenCode `build` agent making the same files and running the tests once, on the same scripted
// model and the real host, in this run. Two missions: the 3-task demo and a 12-task one. Input
// tokens are counted with o200k over every request body the host sent (messages and tool schemas),
// so both sides are counted the same way; dollars apply the scripted model's price to those counts.
// Also prints the first request of the commander and of a worker: the fixed overhead per request.
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { approveMission, approveReview, call, goal as demoGoal, say, sources, sumStatsScenario, workerRule } from "../src/demo/sum-stats-scenario.js"
import type { LoggedRequest } from "../src/scripted-model/server.js"
import type { Scenario, ScriptedReply } from "../src/scripted-model/scenario.js"
import { scriptedModelPrice } from "../src/testing/host-environment.js"
import { runHost } from "../src/testing/run-host.js"
import { createSampleProject } from "../src/testing/sample-project.js"

const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-tokens-"))
const home = path.join(scratch, "home")

interface Mission {
  name: string
  goal: string
  orchestrated: Scenario
  files: Array<[string, string]>
}

const requestTokens = (request: LoggedRequest) => countTokens(JSON.stringify(request.messages)) + countTokens(request.toolsJson)

/** One bare agent doing the same work: every file written, then the tests run once, then done. */
function singleAgent(mission: Mission): Scenario {
  const replies: ScriptedReply[] = [...mission.files.map(([filePath, content]) => call("write", { filePath, content })), call("bash", { command: "npm test", description: "Run the tests" }), say("Done: every file is written and the tests pass.")]
  return { rules: [{ agent: "default", replies }], fallback: { text: "Done." } }
}

function twelveTasks(): Mission {
  const ids = Array.from({ length: 12 }, (_, index) => `T${index + 1}`)
  const source = (id: string) => `export function ${id.toLowerCase()}(value) {\n  return value * ${id.slice(1)}\n}\n`
  const test = (id: string) =>
    `import { test } from "node:test"\nimport assert from "node:assert/strict"\nimport { ${id.toLowerCase()} } from "../src/${id.toLowerCase()}.js"\n\ntest("${id} scales", () => {\n  assert.equal(${id.toLowerCase()}(2), ${2 * Number(id.slice(1))})\n})\n`
  const files = (id: string): Array<[string, string]> => [[`src/${id.toLowerCase()}.js`, source(id)], [`test/${id.toLowerCase()}.test.js`, test(id)]]
  const plan = ids.map((id) => ({ id, title: `Scale by ${id.slice(1)}`, description: `src/${id.toLowerCase()}.js exports ${id.toLowerCase()}(value), value times ${id.slice(1)}, with a test.`, acceptance: [`${id.toLowerCase()}(2) is ${2 * Number(id.slice(1))}`], files: files(id).map(([file]) => file), dependsOn: [] }))
  const goal = "Add twelve scaling functions t1 to t12, each in its own module with a test"
  return {
    name: "12-task mission",
    goal,
    files: ids.flatMap(files),
    orchestrated: {
      rules: [{ agent: "commander", replies: [call("run_mission", { goal }), say("The mission ended; the report lists what was done.")] }, { agent: "planner", replies: [call("submit_plan", { tasks: plan })] }, ...ids.map((id) => workerRule(id, files(id))), approveReview, approveMission],
      fallback: { text: "Done." },
    },
  }
}

const demo: Mission = {
  name: "3-task demo",
  goal: demoGoal,
  orchestrated: sumStatsScenario(),
  files: [["src/sum.js", sources.sum], ["test/sum.test.js", sources.sumTest], ["src/product.js", sources.product], ["test/product.test.js", sources.productTest], ["src/stats.js", sources.stats], ["test/stats.test.js", sources.statsTest]],
}

interface Measured {
  requests: number
  input: number
  output: number
  dollars: number
  exitCode: number | null
  log: LoggedRequest[]
}

async function measure(scenario: Scenario, args: string[], withPlugin: boolean): Promise<Measured> {
  const project = createSampleProject(mkdtempSync(path.join(scratch, "project-")))
  const run = await runHost({ project, home, scenario, args, withPlugin, timeoutMs: 300_000 })
  const log = run.requests.filter((request) => request.agent !== "title")
  const input = log.reduce((sum, request) => sum + requestTokens(request), 0)
  const output = log.reduce((sum, request) => sum + request.usage.completion_tokens, 0)
  return { requests: log.length, input, output, dollars: (input * scriptedModelPrice.input + output * scriptedModelPrice.output) / 1e6, exitCode: run.exitCode, log }
}

const row = (label: string, m: Measured) => `| ${label} | ${m.requests} | ${m.input} | ${m.dollars.toFixed(4)} | ${m.exitCode} |`
console.log("| mission / mode | requests | input tokens (o200k) | $ | exit |")
console.log("| --- | --- | --- | --- | --- |")
for (const mission of [demo, twelveTasks()]) {
  const orchestrated = await measure(mission.orchestrated, ["--command", "task", ...mission.goal.split(" ")], true)
  const single = await measure(singleAgent(mission), [mission.goal], false)
  console.log(row(`${mission.name}, orchestrated`, orchestrated))
  console.log(row(`${mission.name}, one build agent`, single))
  const byAgent = new Map<string, { requests: number; input: number }>()
  for (const request of orchestrated.log) {
    const entry = byAgent.get(request.agent) ?? { requests: 0, input: 0 }
    byAgent.set(request.agent, { requests: entry.requests + 1, input: entry.input + requestTokens(request) })
  }
  console.log(`| ${mission.name}, orchestrated by role: ${[...byAgent].map(([agent, m]) => `${agent} ${m.requests} req ${m.input}`).join(", ")} | | | | |`)
  console.log(`| ${mission.name}: orchestrated / one agent | ${(orchestrated.requests / single.requests).toFixed(2)}× | ${(orchestrated.input / single.input).toFixed(2)}× | ${(orchestrated.dollars / single.dollars).toFixed(2)}× | |`)
  if (mission === demo) {
    const first = (agent: string) => orchestrated.log.find((request) => request.agent === agent)
    const commander = first("commander")
    const worker = first("worker")
    const build = single.log[0]
    console.log(`| first request: commander ${commander ? requestTokens(commander) : "-"}, worker ${worker ? requestTokens(worker) : "-"}, bare build agent ${build ? requestTokens(build) : "-"} tokens | | | | |`)
    if (worker) {
      const system = countTokens(JSON.stringify(worker.messages.filter((message) => message.role === "system")))
      const tools = (JSON.parse(worker.toolsJson) as Array<{ function: { name: string } }>).map((tool) => `${tool.function.name} ${countTokens(JSON.stringify(tool))}`)
      console.log(`| worker's first request: system prompt ${system}, tool schemas ${countTokens(worker.toolsJson)} (${tools.join(", ")}) | | | | |`)
    }
  }
}
