import { test } from "node:test"
import assert from "node:assert/strict"
import { existsSync, readdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { runHost } from "../../src/testing/run-host.js"
import { explain, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"


test("/task with no mission text: a clear message, nothing started", async () => {
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario(), [])
  assert.notEqual(run.exitCode, 0, explain(run))
  assert.match(run.output, /No mission given\. Usage: \/task <what to build>/)
  assert.equal(existsSync(path.join(project, ".opencode", "orchestrator")), false)
  assert.deepEqual(run.requests.filter((r) => r.agent !== "title"), [], "no model call was made")
})

test("/task with a blank (quoted) mission text, as `opencode run` passes it: refused, nothing started", async () => {
  const project = sampleProject()
  const run = await runTask(project, sumStatsScenario(), ["   "])
  assert.equal(run.exitCode, 1, explain(run))
  assert.match(run.output, /No mission given\. Usage: \/task <what to build>/)
  assert.equal(existsSync(path.join(project, ".opencode", "orchestrator")), false)
})

test("/resume-mission of a mission that does not exist: it says so and lists what can be resumed, no raw path", async () => {
  const project = sampleProject()
  const run = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(), args: ["--command", "resume-mission", "m-nope"], timeoutMs: 120_000 })
  assert.equal(run.exitCode, 1, explain(run))
  assert.match(run.output, /There is no mission "m-nope" in this project\. No mission here can be resumed\./)
  assert.doesNotMatch(run.output, /ENOENT|\/tmp\//)
})

test("a malformed orchestrator.json: the file and keys are named, nothing started or half-written", async () => {
  const project = sampleProject()
  seedOpencodeFolder(project)
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), '{\n  // JSONC is fine; these are not\n  "concurrency": "two",\n  "reviewRounds": 2\n}\n')
  const run = await runTask(project, sumStatsScenario(), ["add", "sums"])
  assert.notEqual(run.exitCode, 0, explain(run))
  assert.match(run.output, /\.opencode\/orchestrator\.json: key "concurrency": .*expected number/)
  assert.match(run.output, /unknown key "reviewRounds"/)
  assert.equal(existsSync(path.join(project, ".opencode", "orchestrator")), false)
  // The host keeps its own files in .opencode/ (.gitignore, package*.json, node_modules); we add nothing.
  const hostFiles = new Set([".gitignore", "node_modules", "package.json", "package-lock.json"])
  assert.deepEqual(readdirSync(path.join(project, ".opencode")).filter((name) => !hostFiles.has(name)), ["orchestrator.json"])
  assert.deepEqual(run.requests.filter((r) => r.agent !== "title"), [])
})
