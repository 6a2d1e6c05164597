// The test command (`npm test` runs the build, then this): unit tests beside the code in src/,
// then end-to-end tests in test/e2e on the real opencode binary. `--unit` runs only the former.
import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs"
import os from "node:os"
import path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const unitOnly = process.argv.includes("--unit")

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return testFiles(full)
    return name.endsWith(".test.ts") ? [path.relative(root, full)] : []
  })
}

const files = [...testFiles(path.join(root, "src")), ...(unitOnly ? [] : testFiles(path.join(root, "test")))]
// Every temp folder the tests make goes under one of this run, removed when it ends.
const scratch = mkdtempSync(path.join(os.tmpdir(), "orchestrator-tests-"))
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }))
const env = { ...process.env, TMPDIR: scratch }

if (!unitOnly) {
  // One isolated HOME for every host run, started once first, so parallel test files never race
  // on the host's first-start initialisation of it.
  const home = path.join(scratch, "e2e-home")
  mkdirSync(home, { recursive: true })
  env.ORCHESTRATOR_E2E_HOME = home
  const { runHost } = await import(path.join(root, "dist", "testing", "run-host.js"))
  const started = Date.now()
  const warm = await runHost({ project: home, home, scenario: { rules: [], fallback: { text: "ready" } }, args: ["warm", "up"], timeoutMs: 120_000 })
  console.log(`# host warm-up: exit ${warm.exitCode} in ${Date.now() - started} ms`)
  if (warm.exitCode !== 0) {
    console.error(warm.output)
    process.exit(1)
  }
}

const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], { cwd: root, env, stdio: "inherit" })
process.exitCode = result.status ?? 1
