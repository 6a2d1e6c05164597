// The whole eval suite on the scripted model, through the CLI (what `npm run eval` runs): in both
// modes every solving run passes the hidden tests and every wrong run fails them, though it passes
// the visible tests and, orchestrated, gets sealed; the counts come from the host's accounting and
// agree with what the model received; no request quoted a hidden test; the control failed first.
import { test } from "node:test"
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { opencodeBinary, scriptedModelPrice } from "../../src/testing/host-environment.js"
import { loadEvalMissions } from "../../src/eval/eval-mission.js"
import type { EvalResult } from "../../src/eval/eval-run.js"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

function runEvalCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(repo, "dist", "cli", "main.js"), "eval", ...args], { cwd: repo, env: { ...process.env, OPENCODE_BIN: opencodeBinary() }, stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
}

test("the eval suite on the scripted model: solves pass, wrong runs fail, in both modes, with the host's accounting", { timeout: 60 * 60_000 }, async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "orchestrator-eval-"))
  const run = await runEvalCli(["--single", "--out", out, "--parallel", "2"])
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stderr.slice(-6000)}`)
  const results = (JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as { results: EvalResult[] }).results
  const missions = loadEvalMissions()
  assert.equal(results.length, missions.length * 4)
  const ran = results.filter((result) => !result.skipped)
  // Python missions may be skipped where there is no python3; the JavaScript ones never are.
  assert.ok(ran.length >= results.filter((result) => result.language === "javascript").length, `${ran.length} ran`)
  for (const result of ran) {
    const name = `${result.mission} ${result.mode} ${result.scenario}`
    assert.equal(result.error, undefined, `${name}: ${result.error}`)
    assert.equal(result.success, result.scenario === "solve", `${name}: success ${result.success}\nhidden: ${result.hidden?.output}`)
    assert.equal(result.control?.passed, false, `${name}: the control passed`)
    assert.equal(result.hiddenSeen, false, `${name}: a request quoted a hidden test`)
    // The wrong runs fool the visible tests (and the orchestrated ones are sealed): only the hidden tests tell.
    assert.equal(result.visible?.passed, true, `${name}: visible tests: ${result.visible?.output}`)
    if (result.mode === "orchestrated") assert.equal(result.outcome, "landed", `${name}: outcome ${result.outcome}`)
    assert.equal(result.requests, result.scriptedRequests, `${name}: the host's request count ${result.requests}, the model's ${result.scriptedRequests}`)
    assert.ok(result.tokens.input > 0 && result.tokens.output > 0, `${name}: ${JSON.stringify(result.tokens)}`)
    const priced = (result.tokens.input * scriptedModelPrice.input + result.tokens.output * scriptedModelPrice.output + result.tokens.cacheRead * scriptedModelPrice.cache_read + result.tokens.cacheWrite * scriptedModelPrice.cache_write) / 1e6
    assert.ok(Math.abs(result.cost - priced) < 1e-6, `${name}: $${result.cost}, priced $${priced}`)
    const clarifies = missions.find((mission) => mission.id === result.mission)!.spec.clarification !== undefined
    assert.equal(result.clarifications, clarifies ? 1 : 0, `${name}: clarifications ${result.clarifications}`)
  }
  // The table, as printed and as saved, with one row per mission and scenario and the totals.
  assert.equal(readFileSync(path.join(out, "results.md"), "utf8"), run.stdout)
  assert.match(run.stdout, /A harness check, not a result/)
  for (const mission of missions) for (const scenario of ["solve", "wrong"]) assert.match(run.stdout, new RegExp(`^\\| ${mission.id} \\| [^|]+ \\| ${scenario} \\|`, "m"))
  const solved = ran.filter((result) => result.scenario === "solve" && result.mode === "orchestrated").length
  assert.match(run.stdout, new RegExp(`\\| \\*\\*total, solve\\*\\* \\| \\| \\| ${solved}/${solved} \\| ${solved}/${solved} \\|`))
  assert.match(run.stdout, new RegExp(`\\| \\*\\*total, wrong\\*\\* \\| \\| \\| 0/${solved} \\| 0/${solved} \\|`))
  assert.match(run.stderr, /the harness holds/)
})

test("a run is bounded by the token cap: the orchestrated mission pauses at it, and the run fails, marked by the bound", { timeout: 10 * 60_000 }, async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "orchestrator-eval-cap-"))
  const run = await runEvalCli(["--missions", "js-bugfix-median", "--scenario", "solve", "--max-tokens", "3000", "--out", out])
  assert.equal(run.code, 1, `the solving run cannot pass under the cap: exit ${run.code}\n${run.stderr.slice(-4000)}`)
  const [result] = (JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as { results: EvalResult[] }).results
  assert.deepEqual([result!.success, result!.outcome, result!.bound], [false, "paused", "budget"], JSON.stringify(result))
  assert.match(run.stdout, /\| js-bugfix-median \| [^|]+ \| solve \| FAIL \(paused, budget bound, visible tests fail\) \|/)
})
