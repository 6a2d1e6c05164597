// The product as a user gets it: the packed tarball, installed offline into a fresh HOME, its
// `opencode-orchestrator` command driving the real host (`opencode serve`) on the scripted model.
import { test, before } from "node:test"
import assert from "node:assert/strict"
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { call, plan, say, sources, sumStatsScenario, goal } from "../../src/demo/sum-stats-scenario.js"
import { startScriptedModel } from "../../src/scripted-model/server.js"
import type { Scenario } from "../../src/scripted-model/scenario.js"
import { isolatedHostEnvironment, opencodeBinary } from "../../src/testing/host-environment.js"
import { outcomeExitCodes } from "../../src/mission/mission-outcome.js"
import { eventsOf, explain, sampleProject, sharedHome } from "./e2e-fixture.js"
import { runHost } from "../../src/testing/run-host.js"
import { missionFolders, missionJournal } from "../../src/testing/sample-project.js"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const packageName = (JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { name: string }).name
let tools = ""
let installLog = ""

/**
 * Installs the tarball as a user's `npm install` would, with its dependencies at the versions our
 * lockfile pins, from the npm cache alone (`--offline`): the lockfile's runtime entries carry the
 * tarballs' integrity, so nothing is downloaded and nothing resolves differently.
 */
function installTarball(work: string, tarball: string): string {
  const folder = path.join(work, "tools")
  mkdirSync(folder)
  const ours = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as Record<string, unknown>
  const lock = JSON.parse(readFileSync(path.join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; link?: boolean }> }
  const spec = `file:../${tarball}`
  const packages: Record<string, unknown> = { "": { dependencies: { [packageName]: spec } } }
  packages[`node_modules/${packageName}`] = { version: ours.version, resolved: spec, dependencies: ours.dependencies, bin: ours.bin, engines: ours.engines }
  for (const [key, entry] of Object.entries(lock.packages)) if (key.startsWith("node_modules/") && !entry.dev && !entry.link) packages[key] = entry
  writeFileSync(path.join(folder, "package.json"), JSON.stringify({ private: true, dependencies: { [packageName]: spec } }))
  writeFileSync(path.join(folder, "package-lock.json"), JSON.stringify({ name: "tools", lockfileVersion: 3, requires: true, packages }))
  const install = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund"], { cwd: folder, encoding: "utf8" })
  installLog = `${install.stdout}${install.stderr}`
  assert.equal(install.status, 0, installLog)
  return folder
}

before(() => {
  // What `npm publish` would ship. The suite built dist/ already; `prepack` would build it again
  // under the tests that are loading it.
  const work = mkdtempSync(path.join(os.tmpdir(), "orchestrator-pack-"))
  const tarball = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], { cwd: repo, encoding: "utf8" }).trim().split("\n").at(-1)!
  tools = installTarball(work, tarball)
})

const cli = () => path.join(tools, "node_modules", ".bin", "opencode-orchestrator")

function userEnvironment(modelUrl: string): Record<string, string> {
  const home = mkdtempSync(path.join(os.tmpdir(), "orchestrator-user-"))
  // The scripted provider comes from the environment; the plugin only from what `install` writes.
  return { ...isolatedHostEnvironment({ home, modelUrl, withPlugin: false }), OPENCODE_BIN: opencodeBinary() }
}

/** Not spawnSync: the scripted model answers from this process, so its event loop must keep running. */
function runCli(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cli(), args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })))
}

test("the packed tarball installs offline with no engine warning, and ships its CLI and schema", () => {
  assert.doesNotMatch(installLog, /EBADENGINE/)
  const installed = path.join(tools, "node_modules", packageName)
  assert.ok(existsSync(path.join(installed, "schema", "orchestrator.schema.json")))
  assert.ok(existsSync(path.join(installed, "dist", "dashboard", "dashboard-page.html")))
  // The plugin's runtime does not pull in the host's plugin package (its tree wants Node 22).
  assert.ok(!existsSync(path.join(tools, "node_modules", "@opencode-ai", "plugin")))
  assert.match(spawnSync(cli(), ["--version"], { encoding: "utf8" }).stdout, /^\d+\.\d+\.\d+/)
})

test("install, doctor, run to LANDED, list, show and uninstall, from the installed package", async () => {
  const model = await startScriptedModel({ scenario: sumStatsScenario() })
  try {
    const env = userEnvironment(model.url)
    const project = sampleProject()
    const globalConfig = path.join(env.XDG_CONFIG_HOME!, "opencode", "opencode.json")
    assert.ok(!existsSync(globalConfig))

    const installed = await runCli(["install"], project, env)
    assert.equal(installed.code, 0, installed.stderr)
    assert.match(installed.stdout, /\(new\)/)
    const entry = (JSON.parse(readFileSync(globalConfig, "utf8")) as { plugin: string[] }).plugin[0]!
    assert.ok(entry.startsWith("file://") && entry.includes(path.join(tools, "node_modules", packageName)), entry)
    assert.match((await runCli(["install"], project, env)).stdout, /already there; nothing changed/)

    const doctor = await runCli(["doctor"], project, env)
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr)
    for (const line of [/^ok\s+OpenCode: OpenCode 1\./m, /^ok\s+plugin: loaded/m, /^ok\s+worktrees:/m, /^ok\s+verify: detected: npm test/m, /^ok\s+model: worker: scripted\/model/m]) assert.match(doctor.stdout, line)

    const run = await runCli(["run", goal], project, env)
    assert.equal(run.code, outcomeExitCodes.landed, `exit ${run.code}\n${run.stdout}${run.stderr}`)
    // Not a terminal: one plain line per event, then the outcome and the report's place.
    assert.match(run.stdout, /\] plan accepted: A, B, C \(after A, B\)/)
    assert.match(run.stdout, /\] task C: approved/)
    assert.match(run.stdout, /SEALED and LANDED: 3 commit\(s\)/)
    assert.match(run.stdout, /Report: .*report\.md/)
    assert.equal(readFileSync(path.join(project, "src", "stats.js"), "utf8"), sources.stats)
    // The commander's message is the user's words, not a template.
    const commander = model.requests.find((request) => request.agent === "commander")!
    assert.equal(commander.lastUserText?.trim(), goal)

    const missionId = eventsOf(project, "mission-start")[0]!.missionId
    const list = await runCli(["list"], project, env)
    assert.match(list.stdout, new RegExp(`${missionId}\\s+sealed \\(landed\\)\\s+3/3`))
    const show = await runCli(["show", missionId], project, env)
    assert.match(show.stdout, /\*\*SEALED\*\*/)
    assert.equal((await runCli(["show", "m-nope"], project, env)).code, 1)

    const removed = await runCli(["uninstall"], project, env)
    assert.equal(removed.code, 0, removed.stderr)
    assert.ok(!existsSync(globalConfig), "the install made the file, so uninstall removes it")
  } finally {
    await model.close()
  }
})

test("a project install keeps the user's config byte for byte around our entry, and uninstall restores it", async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), "orchestrator-config-"))
  const original = `{\n  // the user's own\n  "model": "scripted/model",\n  "plugin": ["./their-plugin.ts"]\n}\n`
  writeFileSync(path.join(project, "opencode.jsonc"), original)
  const env = userEnvironment("http://127.0.0.1:9")
  const installed = await runCli(["install", "--project"], project, env)
  assert.equal(installed.code, 0, installed.stderr)
  assert.match(installed.stdout, /opencode\.jsonc\n@@/)
  const text = readFileSync(path.join(project, "opencode.jsonc"), "utf8")
  assert.ok(text.startsWith(`{\n  // the user's own\n  "model": "scripted/model",\n  "plugin": ["./their-plugin.ts", "file://`), text)
  assert.equal((await runCli(["uninstall", "--project"], project, env)).code, 0)
  assert.equal(readFileSync(path.join(project, "opencode.jsonc"), "utf8"), original)
})

test("doctor says plainly that an OpenCode 2 host is not supported, and fails", async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "orchestrator-v2-"))
  const fake = path.join(folder, "opencode")
  writeFileSync(fake, "#!/bin/sh\necho 2.0.1\n")
  chmodSync(fake, 0o755)
  const doctor = await runCli(["doctor"], sampleProject(), { ...userEnvironment("http://127.0.0.1:9"), OPENCODE_BIN: fake })
  assert.equal(doctor.code, 1)
  assert.match(doctor.stdout, /^FAIL\s+OpenCode: OpenCode 2\.0\.1 is not supported: OpenCode 2 does not load plugins written for OpenCode 1/m)
})

test("Ctrl-C stops the mission: the worker is aborted, its worktree removed, exit code 5; --json prints only journal events", async () => {
  const onlyA = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  const hangingWorker = { agent: "worker", replies: [{ tools: [{ name: "write", args: { filePath: "src/sum.js", content: sources.sum } }], delayMs: 120_000 }] }
  const scenario: Scenario = sumStatsScenario([onlyA, hangingWorker])
  const model = await startScriptedModel({ scenario })
  try {
    const env = userEnvironment(model.url)
    const project = sampleProject()
    assert.equal((await runCli(["install"], project, env)).code, 0)
    const child = spawn(cli(), ["run", "--json", "add a sum function"], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    const deadline = Date.now() + 120_000
    while (!model.requests.some((request) => request.agent === "worker") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.ok(model.requests.some((request) => request.agent === "worker"), `no worker request:\n${stdout}\n${stderr}`)
    child.kill("SIGINT")
    const code = await exited
    assert.equal(code, outcomeExitCodes.stopped, `exit ${code}\n${stdout}${stderr}`)
    const events = stdout.trim().split("\n").map((line) => {
      try {
        return JSON.parse(line) as { type: string; status?: string }
      } catch {
        throw new Error(`not a JSON line: ${JSON.stringify(line)}\nstdout:\n${stdout}\nstderr:\n${stderr}`)
      }
    })
    assert.equal(events[0]!.type, "mission-start")
    assert.equal(events.find((event) => event.type === "mission-end")?.status, "stopped")
    assert.equal(events.at(-1)!.type, "workspace-close")
    assert.match(stderr, /STOPPED \(aborted by the user\)/)
    const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" }).trim()
    assert.equal(git("worktree", "list").split("\n").length, 1)
    assert.equal(model.requests.filter((request) => request.agent === "reviewer").length, 0)
  } finally {
    await model.close()
  }
})

test("resume goes on with a mission whose host was killed, and exits by its outcome", async () => {
  const project = sampleProject()
  const approved = () => {
    const folder = missionFolders(project)[0]
    return folder ? missionJournal(folder).filter((entry) => entry.type === "task-approve").length : 0
  }
  const crashed = await runHost({ project, home: sharedHome(), scenario: sumStatsScenario(), args: ["--command", "task", ...goal.split(" ")], killWhen: () => approved() >= 1 })
  assert.equal(crashed.exitCode, null, explain(crashed))
  const model = await startScriptedModel({ scenario: sumStatsScenario() })
  try {
    const env = userEnvironment(model.url)
    assert.equal((await runCli(["install"], project, env)).code, 0)
    const listed = await runCli(["list"], project, env)
    assert.match(listed.stdout, /running\s+1\/3/)
    const resumed = await runCli(["resume"], project, env)
    assert.equal(resumed.code, outcomeExitCodes.landed, `exit ${resumed.code}\n${resumed.stdout}${resumed.stderr}`)
    assert.match(resumed.stdout, /\] mission resumed/)
    assert.match(resumed.stdout, /SEALED and LANDED/)
    assert.equal(eventsOf(project, "mission-resume").length, 1)
  } finally {
    await model.close()
  }
})

/** Processes whose working directory is `folder` (their cwd, from /proc). */
function processesIn(folder: string): number[] {
  return readdirSync("/proc").flatMap((name) => {
    if (!/^\d+$/.test(name)) return []
    try {
      return readlinkSync(`/proc/${name}/cwd`) === folder ? [Number(name)] : []
    } catch {
      return []
    }
  })
}

test("killed with SIGTERM, the CLI takes its opencode server with it, and the mission stays resumable", async () => {
  const hangingWorker = { agent: "worker", replies: [{ tools: [{ name: "write", args: { filePath: "src/sum.js", content: sources.sum } }], delayMs: 120_000 }] }
  const model = await startScriptedModel({ scenario: sumStatsScenario([hangingWorker]) })
  try {
    const env = userEnvironment(model.url)
    const project = sampleProject()
    assert.equal((await runCli(["install"], project, env)).code, 0)
    const child = spawn(cli(), ["run", goal], { cwd: project, env, stdio: "ignore" })
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
    const deadline = Date.now() + 120_000
    while (!model.requests.some((request) => request.agent === "worker") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.ok(processesIn(project).length > 1, "the server runs in the project")
    child.kill("SIGTERM")
    assert.equal(await exited, 143)
    const gone = Date.now() + 15_000
    while (processesIn(project).length && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100))
    assert.deepEqual(processesIn(project), [], "nothing of the host is left running in the project")
    assert.match((await runCli(["list"], project, env)).stdout, /running/)
  } finally {
    await model.close()
  }
})

test("eval runs from the installed package: the mission that needs a clarification, solved, passes its hidden tests", async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "orchestrator-eval-out-"))
  const run = await runCli(["eval", "--missions", "js-clarify-prices", "--scenario", "solve", "--out", out], out, userEnvironment("http://127.0.0.1:9"))
  assert.equal(run.code, 0, `exit ${run.code}\n${run.stdout}${run.stderr}`)
  const [result, ...others] = (JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")) as { results: Array<Record<string, unknown>> }).results
  assert.equal(others.length, 0)
  assert.deepEqual([result!.success, result!.outcome, result!.clarifications, (result!.control as { passed: boolean }).passed], [true, "landed", 1, false], JSON.stringify(result))
  assert.match(run.stdout, /\| js-clarify-prices \| needs a clarification \| solve \| pass \(landed\) \| – \|/)
  assert.equal(readFileSync(path.join(out, "results.md"), "utf8"), run.stdout)
})

test("run --clarify with no answer to give ends not started, and shows the commander's question", async () => {
  const question = "Which currency should the prices be in?"
  const model = await startScriptedModel({ scenario: { rules: [{ agent: "commander", replies: [say(question)] }], fallback: { text: "Done." } } })
  try {
    const env = { ...isolatedHostEnvironment({ home: mkdtempSync(path.join(os.tmpdir(), "orchestrator-user-")), modelUrl: model.url }), OPENCODE_BIN: opencodeBinary() }
    const project = sampleProject()
    const run = await runCli(["run", "--clarify", "format the prices"], project, env)
    assert.equal(run.code, 1, `exit ${run.code}\n${run.stdout}${run.stderr}`)
    assert.match(run.stdout, new RegExp(`No mission started: the commander asked: ${question.replace("?", "\\?")}`))
    assert.equal(missionFolders(project).length, 0)
    // The goal went to the commander as the user's message, not as /task.
    assert.equal(model.requests.find((request) => request.agent === "commander")?.lastUserText?.trim(), "format the prices")
  } finally {
    await model.close()
  }
})

