// The dashboard in real headless Chromium, on a mission run by the CLI through the real host.
import { test } from "node:test"
import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { goal, sources, sumStatsScenario, workerRule } from "../../src/demo/sum-stats-scenario.js"
import { startScriptedModel } from "../../src/scripted-model/server.js"
import { isolatedHostEnvironment, opencodeBinary } from "../../src/testing/host-environment.js"
import { launchBrowser } from "../../src/testing/headless-browser.js"
import { missionFolders } from "../../src/testing/sample-project.js"
import { sampleProject } from "./e2e-fixture.js"
import { waitFor } from "./serve-fixture.js"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const cli = path.join(repo, "dist", "cli", "main.js")
/** Kept after the run (test-artifacts/ is gitignored): the page as the test last saw it. */
const artifacts = path.join(repo, "test-artifacts")

function start(args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
  return { child, exited, output: () => output }
}

function startOnTerminal(args: string[], cwd: string, env: Record<string, string>) {
  const line = [process.execPath, cli, ...args].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(" ")
  const child = spawn("script", ["-qfec", line, "/dev/null"], { cwd, env: { ...env, TERM: "xterm", COLUMNS: "120" }, stdio: ["pipe", "pipe", "pipe"] })
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
  return { child, exited, output: () => output }
}

interface PageState {
  status?: string
  tasks: Record<string, string>
  outcome: string
  cards: number
}

const readPage = `(() => ({
  status: document.body?.dataset.status,
  tasks: Object.fromEntries([...document.querySelectorAll("#graph [data-task-id]")].map((node) => [node.dataset.taskId, node.dataset.status])),
  outcome: document.getElementById("outcome")?.textContent ?? "",
  cards: document.querySelectorAll("#tasks article").length,
}))()`

test("the dashboard shows a running mission's graph, updates as tasks end, and shows it sealed", async () => {
  // C waits a little, so that A and B are seen approved while the mission still runs.
  const slowC = workerRule("C", [["src/stats.js", sources.stats], ["test/stats.test.js", sources.statsTest]], { delayMs: 3000 })
  const model = await startScriptedModel({ scenario: sumStatsScenario([slowC]) })
  const home = mkdtempSync(path.join(os.tmpdir(), "orchestrator-dashboard-"))
  const env = { ...isolatedHostEnvironment({ home, modelUrl: model.url }), OPENCODE_BIN: opencodeBinary() }
  const project = sampleProject()
  // On a terminal (a pseudo-terminal from util-linux's `script`): the live block, redrawn in place.
  const run = startOnTerminal(["run", goal], project, env)
  const browser = await launchBrowser()
  let dashboard: ReturnType<typeof start> | undefined
  try {
    const folder = await waitFor("the mission's folder", () => missionFolders(project)[0], 90_000)
    dashboard = start(["dashboard", path.basename(folder)], project, env)
    const url = await waitFor("the dashboard's URL", () => dashboard!.output().match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)?.[1], 30_000)

    // Without the token, or under another host name, nothing is served.
    const bare = new URL(url)
    bare.search = ""
    assert.equal((await fetch(bare)).status, 403)
    const page = await browser.open(url)
    const seen: PageState[] = []
    const sample = async () => {
      const state = await page.evaluate<PageState>(readPage)
      seen.push(state)
      return state
    }
    // The graph of the running mission, with every task of the plan.
    await waitFor("the graph of the running mission", async () => {
      const state = await sample()
      return state.status === "running" && Object.keys(state.tasks).length === 3 ? state : undefined
    }, 90_000)
    // It updates as tasks end, without a reload: A and B approved while the mission still runs.
    await waitFor("A and B approved on the page", async () => {
      const state = await sample()
      return state.tasks.A === "approved" && state.tasks.B === "approved" && state.status === "running" ? state : undefined
    }, 90_000)
    const sealed = await waitFor("the sealed state", async () => {
      const state = await sample()
      return state.status === "sealed" && state.outcome ? state : undefined
    }, 120_000)
    assert.deepEqual(sealed.tasks, { A: "approved", B: "approved", C: "approved" })
    assert.match(sealed.outcome, /SEALED and LANDED/)
    assert.equal(sealed.cards, 3)
    assert.ok(seen.some((state) => Object.values(state.tasks).some((status) => status === "working" || status === "reviewing" || status === "merging")), "a task was seen in flight")
    // Each task's card has its timeline, its spend by role and its evidence.
    const card = await page.evaluate<{ timeline: string[]; roles: string[]; evidence: string[] }>(`(() => {
      const card = document.querySelector('#tasks article[data-task-id="C"]')
      const texts = (selector) => [...card.querySelectorAll(selector)].map((node) => node.textContent)
      return { timeline: texts("ol.timeline li"), roles: texts("th"), evidence: texts(".evidence.pass") }
    })()`)
    // A merge says how it was verified after "merged" (its own tree's run, or the train's).
    for (const step of ["work#1 attempt 1 started", "verify#1 verified: npm test → exit 0", "review#1 review approve", "merge#1 merged", "end#1 approved"])
      assert.ok(card.timeline.some((line) => line === step || line.startsWith(`${step} (`)), `${step} in ${JSON.stringify(card.timeline)}`)
    assert.deepEqual(card.roles.sort(), ["reviewer", "worker"])
    assert.deepEqual(card.evidence, ["npm test → exit 0"])
    const report = await page.evaluate<string>(`fetch(document.getElementById("report-link").href).then((r) => r.text())`)
    assert.match(report, /\*\*SEALED\*\*/)
    const diff = await page.evaluate<string>(`fetch(document.getElementById("diff-link").href).then((r) => r.text())`)
    assert.match(diff, /src\/stats\.js/)
    mkdirSync(artifacts, { recursive: true })
    writeFileSync(path.join(artifacts, "dashboard.png"), await page.screenshot())
    assert.equal(await run.exited, 0, run.output())
    const shown = run.output()
    assert.match(shown, /\x1b\[\d+F\x1b\[J/, "the block is redrawn in place")
    assert.match(shown, /tasks: (\d pending · )?\d working/)
    assert.match(shown, /tasks: 3 approved/)
    assert.match(shown, /Mission m-\S+ · running · \d+s · [\d.]+k tokens · \$/)
    assert.match(shown, /SEALED and LANDED/)
  } finally {
    await browser.close()
    dashboard?.child.kill("SIGINT")
    run.child.kill("SIGINT")
    await model.close()
  }
})
