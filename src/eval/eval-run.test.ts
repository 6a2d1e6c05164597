import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { LoggedRequest } from "../scripted-model/server.js"
import { loadEvalMission, loadEvalMissions } from "./eval-mission.js"
import { quotesHiddenTests, runEval } from "./eval-run.js"

const mission = loadEvalMissions(undefined, ["js-lru-cache"])[0]!
const requestWith = (content: unknown) => ({ messages: [{ role: "system", content: "You are a worker." }, { role: "tool", content }] }) as unknown as LoggedRequest

test("a request that quotes a hidden test is seen, as text or in content parts", () => {
  const hidden = readFileSync(path.join(mission.folder, "hidden", "lru.test.js"), "utf8")
  assert.equal(quotesHiddenTests(mission, { requests: [requestWith("package.json\nsrc/lru.js")] }), false)
  assert.equal(quotesHiddenTests(mission, { requests: [requestWith(hidden)] }), true)
  assert.equal(quotesHiddenTests(mission, { requests: [requestWith([{ type: "text", text: `cat says:\n${hidden}` }])] }), true)
})

/** A one-file mission in a temp suite folder: `hidden` is what its hidden test does on the seed. */
function tinyMission(options: { hiddenPassesOnSeed: boolean; requires?: string[] }) {
  const folder = mkdtempSync(path.join(os.tmpdir(), "eval-tiny-"))
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true })
    writeFileSync(path.join(folder, file), text)
  }
  write("mission.json", JSON.stringify({ goal: "make ok.txt say yes", shape: "tiny", language: "javascript", requires: options.requires ?? [], verify: "true", hidden: options.hiddenPassesOnSeed ? "true" : "grep -q yes ok.txt" }))
  write("seed/ok.txt", "no\n")
  write("hidden/check.txt", "the hidden check is the command\n")
  write("scripted/plan.json", JSON.stringify({ tasks: [{ id: "A", title: "Say yes", description: "ok.txt says yes.", acceptance: ["ok.txt says yes"], files: ["ok.txt"] }] }))
  write("scripted/solve/ok.txt", "yes\n")
  write("scripted/wrong/ok.txt", "maybe\n")
  return loadEvalMission(folder)
}

const runOptions = () => ({ binary: "/nonexistent/opencode", folder: mkdtempSync(path.join(os.tmpdir(), "eval-run-")), bounds: { tokens: 1000, dollars: 1, seconds: 30 } })

test("hidden tests that pass on the untouched seed make the run an error, never a success, before any host starts", async () => {
  const result = await runEval({ mission: tinyMission({ hiddenPassesOnSeed: true }), mode: "orchestrated", variant: "solve" }, runOptions())
  assert.equal(result.success, false)
  assert.match(result.error!, /the hidden tests pass on the untouched seed/)
  assert.equal(result.control?.passed, true)
  assert.equal(result.requests, 0)
})

test("a mission whose required command is missing is skipped, and says which", async () => {
  const result = await runEval({ mission: tinyMission({ hiddenPassesOnSeed: false, requires: ["no-such-command-here"] }), mode: "single", variant: "solve" }, runOptions())
  assert.equal(result.success, false)
  assert.equal(result.skipped, "no-such-command-here not found")
})

test("a host that cannot start is an error with the reason, after the control ran", async () => {
  const result = await runEval({ mission: tinyMission({ hiddenPassesOnSeed: false }), mode: "orchestrated", variant: "solve" }, runOptions())
  assert.equal(result.success, false)
  assert.equal(result.control?.passed, false)
  assert.match(result.error!, /could not run \/nonexistent\/opencode|opencode serve exited/)
  assert.match(readFileSync(result.log, "utf8"), /nonexistent/)
})
