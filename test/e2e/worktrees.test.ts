import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { call, goal, plan, say, sources, sumStatsScenario, workerRule, write } from "../../src/demo/sum-stats-scenario.js"
import type { ScriptedRule } from "../../src/scripted-model/scenario.js"
import { builtPluginPath, seedOpencodeFolder } from "../../src/testing/host-environment.js"
import { missionFolders, missionJournal } from "../../src/testing/sample-project.js"
import { eventsOf, explain, journalOf, missionFolder, runTask, sampleProject, sharedHome } from "./e2e-fixture.js"

// Issue 3 on the real host: every writing task in its own git worktree, merged back by code.

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim()
const commitAll = (project: string, message: string) => {
  git(project, "add", "-A")
  git(project, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", message)
}

/** What a mission may leave behind: nothing but the user's own checkout and branches. */
function assertNothingLeft(project: string, branchesBefore = "main") {
  assert.equal(git(project, "worktree", "list").split("\n").length, 1, git(project, "worktree", "list"))
  assert.equal(git(project, "branch", "--format=%(refname:short)"), branchesBefore)
}

test("parallel tasks write only in their own worktrees; the checkout is untouched until the seal, then has both", async () => {
  const project = sampleProject()
  const headBefore = git(project, "rev-parse", "HEAD")
  const seen = { inWorktree: new Set<string>(), inCheckoutEarly: [] as string[], statusLines: new Set<string>() }
  const watch = setInterval(() => {
    const folder = missionFolders(project)[0]
    if (!folder) return
    const journal = missionJournal(folder)
    const mergesPending = journal.filter((entry) => entry.type === "merge-end").length < 3
    for (const ready of journal.filter((entry) => entry.type === "worktree-ready")) {
      const file = ready.taskId === "A" ? "src/sum.js" : ready.taskId === "B" ? "src/product.js" : "src/stats.js"
      if (existsSync(path.join(ready.directory, file)) && !existsSync(path.join(project, file))) seen.inWorktree.add(ready.taskId)
    }
    if (mergesPending && existsSync(path.join(project, "src"))) seen.inCheckoutEarly.push(git(project, "status", "--porcelain"))
    // Until the landing: a status taken while git fast-forwards the checkout sees its files half moved in.
    if (!journal.some((entry) => entry.type === "master-review-end")) seen.statusLines.add(git(project, "status", "--porcelain"))
  }, 50)
  const run = await runTask(project, sumStatsScenario(), goal.split(" ")).finally(() => clearInterval(watch))
  assert.equal(run.exitCode, 0, explain(run))
  assert.deepEqual([...seen.inWorktree].sort(), ["A", "B", "C"], "each task's file was seen in its worktree and not in the checkout")
  assert.deepEqual(seen.inCheckoutEarly, [], "nothing reached the checkout before every task was merged")
  assert.deepEqual([...seen.statusLines], [""], "git status of the checkout stayed clean until the landing")
  assert.equal(git(project, "status", "--porcelain"), "", "and is clean after it")
  for (const file of ["src/sum.js", "src/product.js", "src/stats.js", "test/stats.test.js"]) assert.ok(existsSync(path.join(project, file)), file)
  const [close] = eventsOf(project, "workspace-close")
  assert.equal(close?.landing, "fast-forward")
  // One squash commit per task on top of the user's HEAD: C last, A and B in merge order.
  const subjects = git(project, "log", "--format=%s", `${headBefore}..HEAD`).split("\n")
  assert.equal(subjects.length, 3, subjects.join("\n"))
  assert.match(subjects[0]!, /^C: Stats module/)
  assert.deepEqual(subjects.slice(1).map((subject) => subject[0]).sort(), ["A", "B"])
  assertNothingLeft(project)
  const report = readFileSync(path.join(missionFolder(project), "report.md"), "utf8")
  assert.match(report, /## Workspace/)
  assert.match(report, /fast-forwarded/)
})

// A committed module both tasks edit; its test checks only what both keep.
const greetingBase = 'export const morning = "good morning"\n\nexport const one = 1\nexport const two = 2\nexport const three = 3\n\nexport const evening = "good evening"\n'
const greetingTest = 'import { test } from "node:test"\nimport assert from "node:assert/strict"\nimport * as greeting from "../src/greeting.js"\n\ntest("greetings are strings", () => {\n  assert.equal(typeof greeting.morning, "string")\n  assert.equal(typeof greeting.evening, "string")\n})\n'

function greetingProject(): string {
  const project = sampleProject()
  mkdirSync(path.join(project, "src"))
  writeFileSync(path.join(project, "src", "greeting.js"), greetingBase)
  writeFileSync(path.join(project, "test", "greeting.test.js"), greetingTest)
  commitAll(project, "greeting module")
  return project
}

const greetingPlan = (a: string, b: string) => [
  { id: "A", title: a, description: a, acceptance: ["npm test passes"], files: ["src/greeting.js"], dependsOn: [] },
  { id: "B", title: b, description: b, acceptance: ["npm test passes"], files: ["src/greeting.js"], dependsOn: [] },
]
const planRule = (tasks: object[]): ScriptedRule => ({ agent: "planner", replies: [call("submit_plan", { tasks }), say("Plan submitted.")] })

test("two parallel tasks edit the same file in different places: both merged, verification passes", async () => {
  const project = greetingProject()
  const scenario = sumStatsScenario([
    planRule(greetingPlan("Shout the morning greeting", "Shout the evening greeting")),
    workerRule("A", [["src/greeting.js", greetingBase.replace('"good morning"', '"GOOD MORNING"')]], { delayMs: 800 }),
    workerRule("B", [["src/greeting.js", greetingBase.replace('"good evening"', '"GOOD EVENING"')]], { delayMs: 800 }),
  ])
  const run = await runTask(project, scenario, ["shout", "both", "greetings"])
  assert.equal(run.exitCode, 0, explain(run))
  const merged = readFileSync(path.join(project, "src", "greeting.js"), "utf8")
  assert.equal(merged, greetingBase.replace('"good morning"', '"GOOD MORNING"').replace('"good evening"', '"GOOD EVENING"'))
  assert.deepEqual(eventsOf(project, "merge-end").map((end) => end.outcome), ["merged", "merged"])
  // Each merge verified: on the mission branch, or (a task merged onto the head it was built on) by its own run of that very tree.
  assert.ok(eventsOf(project, "merge-end").every((end) => end.evidence.length === 1 && end.evidence[0]!.exitCode === 0 && (end.evidenceOf ?? end.taskId) === end.taskId), "each merge was verified")
  assertNothingLeft(project)
})

test("a file a tool call of the submitting step writes after the submission is committed and merged: the engine goes on only once that step has ended", async () => {
  const project = sampleProject()
  // C's last step: submit_work first, then a command that writes the test a second later (the host runs both in that step).
  const late = `sleep 1 && cat > test/stats.test.js <<'EOF'\n${sources.statsTest}EOF`
  const slowStep: ScriptedRule = {
    agent: "worker",
    task: "C",
    replies: [write("src/stats.js", sources.stats), { tools: [{ name: "submit_work", args: { summary: "Wrote src/stats.js and its test." } }, { name: "shell", args: { command: late } }] }, say("Submitted.")],
  }
  const run = await runTask(project, sumStatsScenario([slowStep]), goal.split(" "))
  assert.equal(run.exitCode, 0, explain(run))
  const commit = eventsOf(project, "work-commit").find((event) => event.taskId === "C")
  assert.deepEqual(commit?.files.slice().sort(), ["src/stats.js", "test/stats.test.js"], "the late file is in C's commit")
  assert.equal(readFileSync(path.join(project, "test", "stats.test.js"), "utf8"), sources.statsTest, "and in the checkout after the landing")
  assertNothingLeft(project)
})

/** The host's file snapshot stores (`<data>/opencode/snapshot/<project>/<worktree's hash>`), each a git folder of one worktree's copies. */
function snapshotStores(): string[] {
  const root = path.join(sharedHome(), "data", "opencode", "snapshot")
  if (!existsSync(root)) return []
  return readdirSync(root).flatMap((project) => readdirSync(path.join(root, project)).map((store) => path.join(root, project, store)))
}

test("with the host's file snapshots on (its default), it keeps them for the checkout's sessions only, none for our worktrees", async () => {
  const project = sampleProject()
  const before = new Set(snapshotStores())
  const run = await runTask(project, sumStatsScenario(), goal.split(" "), { snapshot: true })
  assert.equal(run.exitCode, 0, explain(run))
  assert.equal(eventsOf(project, "worktree-ready").length, 3, "three tasks in worktrees")
  const made = snapshotStores().filter((store) => !before.has(store))
  // One store: the commander's session in the checkout. Each tree our children worked in would add its own.
  assert.equal(made.length, 1, made.join("\n"))
  assertNothingLeft(project)
})

test("two parallel tasks change the same lines: the second goes back with the conflict and redoes it on the new head", async () => {
  const project = greetingProject()
  const withLine = (line: string) => greetingBase.replace("\nexport const one", `${line}\nexport const one`)
  const scenario = sumStatsScenario([
    planRule(greetingPlan("Add a greeting from A", "Add a greeting from B")),
    workerRule("A", [["src/greeting.js", withLine('export const fromA = "hello from A"\n')]]),
    // B is slower, so A merges first and B's change meets A's on the same lines.
    workerRule("B", [["src/greeting.js", withLine('export const fromB = "hello from B"\n')]], { attempt: 1, delayMs: 2500 }),
    workerRule("B", [["src/greeting.js", withLine('export const fromA = "hello from A"\nexport const fromB = "hello from B"\n')]], { attempt: 2 }),
  ])
  const run = await runTask(project, scenario, ["add", "two", "greetings"])
  assert.equal(run.exitCode, 0, explain(run))
  const ends = eventsOf(project, "merge-end").map((end) => `${end.taskId}${end.attempt}:${end.outcome}`)
  assert.deepEqual(ends, ["A1:merged", "B1:conflict", "B2:merged"])
  assert.deepEqual(eventsOf(project, "merge-end")[1]!.files, ["src/greeting.js"])
  const retry = run.requests.find((request) => request.agent === "worker" && request.task === "B" && request.attempt === 2)!
  assert.match(retry.lastUserText, /could not be merged[\s\S]*src\/greeting\.js[\s\S]*<<<<<<<[\s\S]*hello from A/)
  const final = readFileSync(path.join(project, "src", "greeting.js"), "utf8")
  assert.match(final, /fromA = "hello from A"/)
  assert.match(final, /fromB = "hello from B"/)
  assertNothingLeft(project)
})

test("a worktree that cannot be provisioned (its branch exists): a clear task error, nothing written into the checkout", async () => {
  const project = sampleProject()
  const slowPlanner: ScriptedRule = { agent: "planner", replies: [{ ...call("submit_plan", { tasks: plan.slice(0, 1) }), delayMs: 2500 }, say("Plan submitted.")] }
  let blocked = ""
  const watch = setInterval(() => {
    const folder = missionFolders(project)[0]
    if (!folder || blocked) return
    blocked = `orchestrator/${path.basename(folder)}-task-A`
    git(project, "branch", blocked)
  }, 20)
  const run = await runTask(project, sumStatsScenario([slowPlanner]), ["add", "a", "sum"]).finally(() => clearInterval(watch))
  assert.equal(run.exitCode, 3, explain(run))
  const [fail] = eventsOf(project, "task-fail")
  assert.match(fail!.reason, /cannot (create|switch) the worktree of task A: git (worktree|checkout) failed: .*already exists/)
  assert.equal(run.requests.filter((request) => request.agent === "worker").length, 0, "no worker ran")
  assert.equal(existsSync(path.join(project, "src")), false)
  assert.match(readFileSync(path.join(missionFolder(project), "report.md"), "utf8"), /cannot (create|switch) the worktree of task A/)
  assertNothingLeft(project, `main\n${blocked}`)
})

test("uncommitted changes at the start: the mission builds on them, and they are intact byte for byte at the end", async () => {
  const project = sampleProject()
  const readme = "# My edit\r\nnot committed \u00e9\n\u0000\n"
  writeFileSync(path.join(project, "README.md"), readme)
  mkdirSync(path.join(project, "notes"))
  writeFileSync(path.join(project, "notes", "draft.txt"), "untracked draft\n")
  const indexBefore = readFileSync(path.join(project, ".git", "index"))
  const headBefore = git(project, "rev-parse", "HEAD")
  const onlyA = planRule(plan.slice(0, 1))
  const run = await runTask(project, sumStatsScenario([onlyA]), ["add", "a", "sum"])
  assert.equal(run.exitCode, 0, explain(run))
  assert.equal(readFileSync(path.join(project, "README.md"), "utf8"), readme)
  assert.equal(readFileSync(path.join(project, "notes", "draft.txt"), "utf8"), "untracked draft\n")
  assert.deepEqual(readFileSync(path.join(project, ".git", "index")), indexBefore, "the user's index was never written")
  assert.equal(git(project, "rev-parse", "HEAD"), headBefore)
  assert.equal(readFileSync(path.join(project, "src", "sum.js"), "utf8"), sources.sum)
  const [open] = eventsOf(project, "workspace-open")
  assert.equal(open?.uncommitted, "included")
  const [close] = eventsOf(project, "workspace-close")
  assert.equal(close?.landing, "applied")
  // The result is applied next to the user's changes; its commits stay on the mission branch.
  assert.deepEqual(close?.keptBranches, [open!.branch])
  assert.match(readFileSync(path.join(missionFolder(project), "report.md"), "utf8"), /Result: applied to your working tree as uncommitted changes/)
  assert.equal(git(project, "worktree", "list").split("\n").length, 1)
})

test("the plugin loaded only from an uncommitted opencode.json: the worktrees see it, it is never committed", async () => {
  const project = sampleProject()
  const projectConfig = JSON.stringify({ $schema: "https://opencode.ai/config.json", plugin: [builtPluginPath()] }, null, 2)
  writeFileSync(path.join(project, "opencode.json"), projectConfig)
  seedOpencodeFolder(project)
  // Not part of the mission's base: the worktrees get the file only by being prepared with it.
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ worktrees: { includeUncommitted: false } }))
  const run = await runTask(project, sumStatsScenario([planRule(plan.slice(0, 2))]), ["add", "sum", "and", "product"], { withPlugin: false })
  assert.equal(run.exitCode, 0, explain(run))
  assert.equal(readFileSync(path.join(project, "opencode.json"), "utf8"), projectConfig)
  assert.equal(eventsOf(project, "workspace-open")[0]?.uncommitted, "not-included")
  assert.equal(eventsOf(project, "workspace-close")[0]?.landing, "fast-forward")
  const committed = git(project, "log", "--name-only", "--format=", "-3")
  assert.doesNotMatch(committed, /opencode\.json|\.opencode/)
  assert.match(committed, /src\/sum\.js/)
  assertNothingLeft(project)
  assert.equal(journalOf(project).filter((entry) => entry.type === "task-approve").length, 2)
})

test("sealed while your HEAD moved: the result is kept on its branch, the last line says where and how to take it, exit 2", async () => {
  const project = sampleProject()
  const slowPlanner: ScriptedRule = { agent: "planner", replies: [{ ...call("submit_plan", { tasks: plan.slice(0, 1) }), delayMs: 2500 }, say("Plan submitted.")] }
  let moved = false
  const watch = setInterval(() => {
    if (moved || !missionFolders(project)[0]) return
    moved = true
    writeFileSync(path.join(project, "NOTES.md"), "my own work\n")
    commitAll(project, "my own commit during the mission")
  }, 20)
  const run = await runTask(project, sumStatsScenario([slowPlanner]), ["add", "a", "sum"]).finally(() => clearInterval(watch))
  assert.equal(run.exitCode, 2, explain(run))
  assert.match(run.output, /SEALED but NOT LANDED: your HEAD moved during the mission\. Kept on orchestrator\/m-[^ ]+\. Take it with: git merge orchestrator\/m-/)
  assert.equal(existsSync(path.join(project, "src", "sum.js")), false, "nothing landed")
  const [close] = eventsOf(project, "workspace-close")
  assert.equal(close!.landing, "branch")
})

/** When the host logged `message` for a directory of this project, from its own log ("creating instance", "booting location services"). */
function hostLog(project: string, message: string): Array<{ at: number; directory: string }> {
  const folder = path.join(sharedHome(), "data", "opencode", "log")
  const lines = readdirSync(folder).flatMap((name) => readFileSync(path.join(folder, name), "utf8").split("\n"))
  return lines
    .filter((line) => line.includes(`message="${message}"`))
    .map((line) => ({ at: Date.parse(/timestamp=(\S+)/.exec(line)?.[1] ?? ""), directory: /directory=(\S+)/.exec(line)?.[1] ?? "" }))
    .filter((entry) => entry.directory.startsWith(`${project}/`))
}

test("four tasks at concurrency 2 share two pooled worktrees: the host starts an instance per slot, not per task", async () => {
  const project = sampleProject()
  mkdirSync(path.join(project, ".opencode"), { recursive: true })
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ concurrency: 2, verify: ["true"] }))
  git(project, "add", ".opencode/orchestrator.json")
  git(project, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "config")
  const ids = ["A", "B", "C", "D"]
  const tasks = ids.map((id) => ({ id, title: `Module ${id}`, description: `Add src/${id}.js`, acceptance: [`src/${id}.js exists`], files: [`src/${id}.js`], dependsOn: [] }))
  const scenario = sumStatsScenario([planRule(tasks), ...ids.map((id) => workerRule(id, [[`src/${id}.js`, `export const ${id} = "${id}"\n`]], { delayMs: 300 }))])
  const run = await runTask(project, scenario, ["add", "four", "modules"])
  assert.equal(run.exitCode, 0, explain(run))
  for (const id of ids) assert.equal(readFileSync(path.join(project, "src", `${id}.js`), "utf8"), `export const ${id} = "${id}"\n`)
  const ready = eventsOf(project, "worktree-ready")
  assert.deepEqual(ready.map((event) => event.taskId).sort(), ids)
  assert.equal(new Set(ready.map((event) => event.branch)).size, 4, "each task has its own branch")
  const slots = [...new Set(ready.map((event) => event.directory))]
  assert.equal(slots.length, 2, slots.join("\n"))
  const inSlots = (entries: Array<{ at: number; directory: string }>) => entries.filter((entry) => slots.includes(entry.directory))
  const instances = hostLog(project, "creating instance").filter(({ directory }) => directory.includes("/orchestrator-worktrees/") && !directory.endsWith("/mission"))
  assert.deepEqual(instances.map(({ directory }) => directory).sort(), slots.sort(), "one host instance per slot directory")
  // The instance's heavy part (file watcher, location services) started once per slot.
  const booted = inSlots(hostLog(project, "booting location services"))
  assert.deepEqual(booted.map(({ directory }) => directory).sort(), slots.sort(), "location services booted once per slot")
  // The planner read the checkout (its instance warm from the commander's session), the master
  // reviewer a warm slot at the mission's head: the mission's own tree cost the host no instance.
  const workingIn = (agent: string) => /Working directory: ([^\\]+)\\n/.exec(JSON.stringify(run.requests.find((request) => request.agent === agent)!.messages))?.[1]
  assert.equal(workingIn("planner"), project, "the planner's session is in the checkout")
  assert.ok(slots.includes(workingIn("master-reviewer")!), `the master reviewer's session is in a slot: ${workingIn("master-reviewer")}`)
  assert.deepEqual(hostLog(project, "creating instance").filter(({ directory }) => directory.endsWith("/mission")), [], "no instance for the mission's tree")
  assertNothingLeft(project)
})
