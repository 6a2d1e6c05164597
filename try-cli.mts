import { spawnSync, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { startScriptedModel } from "./src/scripted-model/server.js"
import { isolatedHostEnvironment, opencodeBinary } from "./src/testing/host-environment.js"
import { createSampleProject } from "./src/testing/sample-project.js"
import { goal, sumStatsScenario } from "./src/demo/sum-stats-scenario.js"
const work = mkdtempSync(path.join(os.tmpdir(), "cli-try-"))
const project = createSampleProject(path.join(work, "p"))
const model = await startScriptedModel({ scenario: sumStatsScenario() })
const env = { ...isolatedHostEnvironment({ home: path.join(work, "h"), modelUrl: model.url }), OPENCODE_BIN: opencodeBinary() }
const args = process.argv.slice(2).length ? process.argv.slice(2) : ["run", goal]
const t = Date.now()
const child = spawn("node", [path.resolve("dist/cli/main.js"), ...args], { cwd: project, env, stdio: "inherit" })
const code = await new Promise((r) => child.on("close", r))
console.log("exit", code, (Date.now() - t) / 1000, "s; requests", model.requests.length, project)
for (const a of [["list"], ["show"]]) console.log(spawnSync("node", [path.resolve("dist/cli/main.js"), ...a], { cwd: project, env, encoding: "utf8" }).stdout.slice(0, 800))
await model.close()
