import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { PromptRequest } from "../host/mission-host.js"
import type { PlannedTask } from "../mission/mission-event.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import type { Mission } from "../mission/mission.js"
import { FakeHost } from "../testing/fake-host.js"
import { missionJournal } from "../testing/sample-project.js"
import { startMission } from "./start-mission.js"

// The engine with worktrees on real git, the host played by a fake whose workers write files
// into the directory their session was given (as the host's tools do).

const task = (id: string, files: string[], dependsOn: string[] = []): PlannedTask => ({ id, title: `Task ${id}`, description: "", acceptance: [], files, dependsOn })
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim()

function repository(config: object, files: Record<string, string> = { "README.md": "hello\n" }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wt-engine-"))
  git(dir, "init", "-q", "-b", "main")
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content)
  mkdirSync(path.join(dir, ".opencode"))
  writeFileSync(path.join(dir, ".opencode", "orchestrator.json"), JSON.stringify(config))
  git(dir, "add", "-A")
  git(dir, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
  return dir
}

type Work = (request: PromptRequest, mission: Mission) => Promise<void> | void

/**
 * Runs a mission on `root`; `beforePlan` may change the world (or wait for it) while the planner is
 * at work, `beforePlannerRequest` before the planner's model request goes out.
 */
async function run(root: string, plan: PlannedTask[], work: Work, beforePlan?: (mission: Mission, host: FakeHost) => unknown, beforePlannerRequest?: (host: FakeHost) => Promise<void>) {
  const registry = new MissionRegistry()
  const host: FakeHost = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") await beforePlannerRequest?.(host)
    // As the host's chat.params hook does before each model request.
    mission.budgets.noteModelRequest(request.sessionId)
    if (request.agent === "planner") {
      await beforePlan?.(mission, host)
      mission.submitPlan(request.sessionId, plan)
    }
    if (request.agent === "worker") {
      await work(request, mission)
      mission.submitWork(request.sessionId, "done")
    }
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  })
  const started = await startMission({ registry, host, directory: root, rootSessionId: "ses_root", goal: "build it" })
  return { state: await started.finished, host, mission: started.mission }
}

const taskOf = (request: PromptRequest) => /Task (\S+) · attempt (\d+)/.exec(request.text)!
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5))
}
const leftovers = (root: string) => ({ worktrees: git(root, "worktree", "list").split("\n").length, branches: git(root, "branch", "--format=%(refname:short)") })

test("parallel workers write only in their own worktrees; the result lands by fast-forward and nothing is left", async () => {
  const root = repository({ verify: ["test -f README.md"] })
  const seenDirectories = new Set<string>()
  const { state, host } = await run(root, [task("A", ["a.txt"]), task("B", ["b.txt"])], async (request) => {
    seenDirectories.add(request.directory)
    await until(() => seenDirectories.size === 2)
    const [, id] = taskOf(request)
    writeFileSync(path.join(request.directory, `${id!.toLowerCase()}.txt`), `${id}\n`)
    // The user's checkout is untouched while the mission runs.
    assert.equal(existsSync(path.join(root, "a.txt")) || existsSync(path.join(root, "b.txt")), false)
  })
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(host.maxActive, 2)
  assert.equal(seenDirectories.size, 2)
  for (const directory of seenDirectories) assert.ok(!directory.startsWith(`${root}${path.sep}`) || directory.includes(`${path.sep}.git${path.sep}`))
  assert.equal(readFileSync(path.join(root, "a.txt"), "utf8"), "A\n")
  assert.equal(readFileSync(path.join(root, "b.txt"), "utf8"), "B\n")
  assert.equal(state.closing?.landing, "fast-forward")
  assert.deepEqual(leftovers(root), { worktrees: 1, branches: "main" })
  assert.equal(git(root, "status", "--porcelain"), "")
})

test("two tasks change the same line: the second is sent back with the conflict, redoes it on the new head, both intents land", async () => {
  const root = repository({ verify: [] }, { "list.txt": "first\n" })
  const attempts: string[] = []
  const { state } = await run(root, [task("A", ["list.txt"]), task("B", ["list.txt"])], async (request, mission) => {
    const [, id, attempt] = taskOf(request)
    attempts.push(`${id}${attempt}`)
    const file = path.join(request.directory, "list.txt")
    if (id === "B" && attempt === "1") await until(() => mission.state.tasks[0]!.status === "approved")
    if (id === "B" && attempt === "2") {
      assert.match(request.text, /could not be merged[\s\S]*list\.txt[\s\S]*<<<<<<</)
      assert.equal(readFileSync(file, "utf8"), "first\nfrom A\n", "a fresh tree on the new head")
    }
    appendFileSync(file, `from ${id}\n`)
  })
  assert.equal(state.status, "sealed", state.endReason)
  assert.deepEqual(attempts.sort(), ["A1", "B1", "B2"])
  assert.equal(readFileSync(path.join(root, "list.txt"), "utf8"), "first\nfrom A\nfrom B\n")
  assert.deepEqual(leftovers(root), { worktrees: 1, branches: "main" })
})

test("a merge that breaks verification on the mission branch is undone and sent back", async () => {
  // Each task passes alone; together they break the rule "at most one .txt file".
  const root = repository({ verify: ['test "$(ls *.txt 2>/dev/null | wc -l)" -le 1'] })
  const { state } = await run(root, [task("A", ["a.txt"]), task("B", ["b.txt"])], async (request, mission) => {
    const [, id, attempt] = taskOf(request)
    if (id === "B" && attempt === "1") await until(() => mission.state.tasks[0]!.status === "approved")
    if (id === "B" && attempt === "2") appendFileSync(path.join(request.directory, "a.txt"), "B\n")
    else writeFileSync(path.join(request.directory, `${id!.toLowerCase()}.txt`), `${id}\n`)
  })
  assert.equal(state.status, "sealed", state.endReason)
  const merges = state.tasks.map((item) => `${item.id}:${item.attempts}`)
  assert.deepEqual(merges, ["A:1", "B:2"])
  assert.equal(readFileSync(path.join(root, "a.txt"), "utf8"), "A\nB\n")
  assert.equal(existsSync(path.join(root, "b.txt")), false)
})

test("uncommitted changes are the mission's base and stay byte for byte; the result is applied next to them", async () => {
  const root = repository({ verify: [] }, { "README.md": "hello\n", "notes.txt": "old\n" })
  writeFileSync(path.join(root, "notes.txt"), "my unsaved edit\r\n\u0000binary-ish\n")
  writeFileSync(path.join(root, "scratch.txt"), "untracked\n")
  const indexBefore = readFileSync(path.join(root, ".git", "index"))
  const { state } = await run(root, [task("A", ["a.txt"])], async (request) => {
    assert.equal(readFileSync(path.join(request.directory, "scratch.txt"), "utf8"), "untracked\n", "the worker sees the user's uncommitted files")
    writeFileSync(path.join(request.directory, "a.txt"), "A\n")
  })
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(state.workspace?.uncommitted, "included")
  assert.equal(readFileSync(path.join(root, "notes.txt"), "utf8"), "my unsaved edit\r\n\u0000binary-ish\n")
  assert.equal(readFileSync(path.join(root, "scratch.txt"), "utf8"), "untracked\n")
  assert.equal(readFileSync(path.join(root, "a.txt"), "utf8"), "A\n")
  assert.deepEqual(readFileSync(path.join(root, ".git", "index")), indexBefore)
  assert.equal(state.closing?.landing, "applied")
  assert.equal(git(root, "log", "--format=%s", "-1"), "start")
})

test("the task trees are made and their host instances started while the planner works; three tasks at concurrency 2 use those two", async () => {
  const root = repository({ verify: [], concurrency: 2 })
  const write = (request: PromptRequest) => writeFileSync(path.join(request.directory, `${taskOf(request)[1]}.txt`), "x\n")
  const plan = ["A", "B", "C"].map((id) => task(id, [`${id}.txt`]))
  // The planner takes its time: both trees are warmed meanwhile.
  const { state, host } = await run(root, plan, write, (_mission, host) => until(() => host.warmed.length === 2))
  assert.equal(state.status, "sealed", state.endReason)
  const slots = host.agentChecks.filter((directory) => directory.includes(`${path.sep}slots${path.sep}`))
  assert.equal(slots.length, 2, host.agentChecks.join("\n"))
  assert.deepEqual([...host.warmed].sort(), [...slots].sort(), "the host instance of each tree was warmed past its agents check")
  assert.equal(host.maxWarming, 1, "one tree at a time")
  const used = new Set(state.tasks.map((item) => item.worktree!.directory))
  assert.deepEqual([...used].sort(), [...slots].sort(), "the tasks worked in the warmed trees, and no other")
  assert.deepEqual(leftovers(root), { worktrees: 1, branches: "main" })
  // The planner read the checkout and the master reviewer a slot: the mission's own tree cost the
  // host no instance. The slots' instances went with them; the user's checkout keeps its own.
  const master = host.prompts.find((prompt) => prompt.agent === "master-reviewer")!
  assert.ok(slots.includes(master.directory), `the master review ran in a warm slot: ${master.directory}`)
  const trees = [...new Set(host.agentChecks)].filter((directory) => directory !== root)
  assert.deepEqual(trees.sort(), [...slots].sort(), "the slots only")
  assert.deepEqual([...host.disposed].sort(), trees.sort())
})

test("with the planner in the checkout (its instance runs already), the trees warm before the planner's request", async () => {
  const root = repository({ verify: [], concurrency: 2 })
  const write = (request: PromptRequest) => writeFileSync(path.join(request.directory, `${taskOf(request)[1]}.txt`), "x\n")
  // The planner's request is held until a tree is warm: a warm-up that waited for it would never begin.
  const { state, host } = await run(root, [task("A", ["A.txt"]), task("B", ["B.txt"])], write, undefined, (fake) => until(() => fake.warmed.length >= 1))
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(host.prompts.find((prompt) => prompt.agent === "planner")!.directory, root)
  assert.equal(host.maxWarming, 1, "one tree at a time")
})

test("with the planner in the mission's tree, the warm-up waits for the planner's first request, and warms no more trees than the plan can use", async () => {
  // Uncommitted changes left out of the mission: the planner reads the mission's tree, a new instance.
  const root = repository({ verify: [], concurrency: 3, worktrees: { includeUncommitted: false } })
  writeFileSync(path.join(root, "README.md"), "my unsaved edit\n")
  const write = (request: PromptRequest) => writeFileSync(path.join(request.directory, `${taskOf(request)[1]}.txt`), "x\n")
  // A chain: one task at a time, whatever the concurrency.
  const plan = [task("A", ["A.txt"]), task("B", ["B.txt"], ["A"]), task("C", ["C.txt"], ["B"])]
  let submitted = false
  let warmedBeforeRequest = -1
  const { state, host } = await run(
    root,
    plan,
    write,
    // The planner's turn: its request went out just now (the warm-up may begin, and has not yet
    // run); the plan comes while the first tree warms.
    async (_mission, host) => {
      warmedBeforeRequest = host.warmed.length
      host.warmGate = () => until(() => submitted)
      await until(() => host.warmed.length === 1)
      submitted = true
    },
  )
  assert.equal(state.status, "sealed", state.endReason)
  assert.notEqual(host.prompts.find((prompt) => prompt.agent === "planner")!.directory, root)
  assert.equal(warmedBeforeRequest, 0, "nothing was warmed before the planner's request")
  assert.equal(host.warmed.length, 1, `the plan's width is 1: ${host.warmed.join(", ")}`)
  const used = new Set(state.tasks.map((item) => item.worktree!.directory))
  assert.deepEqual([...used], host.warmed, "the chain ran in the warmed tree")
  assert.deepEqual(leftovers(root), { worktrees: 1, branches: "main" })
})

test("the planner reads the user's checkout when it holds the mission's start (its instance is warm), the mission's tree when it does not", async () => {
  const plannerDirectory = async (root: string) => {
    const { state, host } = await run(root, [task("A", ["a.txt"])], (request) => writeFileSync(path.join(request.directory, "a.txt"), "A\n"))
    assert.equal(state.status, "sealed", state.endReason)
    return host.prompts.find((prompt) => prompt.agent === "planner")!.directory
  }
  const clean = repository({ verify: [] })
  assert.equal(await plannerDirectory(clean), clean)
  const edited = repository({ verify: [], worktrees: { includeUncommitted: false } })
  writeFileSync(path.join(edited, "README.md"), "my unsaved edit\n")
  const missionTree = await plannerDirectory(edited)
  assert.notEqual(missionTree, edited, "uncommitted changes the mission does not build on: not the checkout")
  assert.match(missionTree, /orchestrator-worktrees.+mission$/)
  const included = repository({ verify: [] })
  writeFileSync(path.join(included, "README.md"), "my unsaved edit\n")
  assert.equal(await plannerDirectory(included), included, "changes the mission's base was made of: the checkout")
})

test("a task whose worktree cannot be provisioned fails clearly, and nothing is written into the shared tree", async () => {
  const root = repository({ verify: [] })
  const writeA = (request: PromptRequest) => writeFileSync(path.join(request.directory, "a.txt"), "A\n")
  const { state, host, mission } = await run(root, [task("A", ["a.txt"])], writeA, (mission) => git(root, "branch", `orchestrator/${mission.id}-task-A`))
  assert.equal(state.status, "failed")
  assert.match(state.tasks[0]!.failReason!, /cannot (create|switch) the worktree of task A: git (worktree|checkout) failed: .*already exists/)
  assert.equal(host.prompts.filter((prompt) => prompt.agent === "worker").length, 0)
  assert.equal(existsSync(path.join(root, "a.txt")), false)
  assert.match(readFileSync(mission.reportFile, "utf8"), /cannot (create|switch) the worktree of task A/)
})

test("a worktree whose host instance lacks our agents fails the task with the reason, not a host error", async () => {
  const root = repository({ verify: [] })
  const { state } = await run(root, [task("A", ["a.txt"])], () => {}, (_mission, host) => (host.agents = ["build", "plan"]))
  assert.equal(state.status, "failed")
  assert.match(state.tasks[0]!.failReason!, /agents are not loaded in .*: OpenCode does not see the config/)
})

test("opting out of worktrees: tasks share the checkout, the report says why", async () => {
  const root = repository({ verify: [], worktrees: { enabled: false } })
  const { state } = await run(root, [task("A", ["a.txt"])], (request) => {
    assert.equal(request.directory, root)
    writeFileSync(path.join(root, "a.txt"), "A\n")
  })
  assert.equal(state.status, "sealed")
  assert.equal(state.workspace?.mode, "shared")
  assert.equal(git(root, "worktree", "list").split("\n").length, 1)
})

test("a project in a subfolder of its repository gets worktrees of the whole repository; tasks work in the subfolder; the result lands there", async () => {
  const top = mkdtempSync(path.join(os.tmpdir(), "wt-monorepo-"))
  git(top, "init", "-q", "-b", "main")
  writeFileSync(path.join(top, "README.md"), "monorepo\n")
  const root = path.join(top, "packages", "app")
  mkdirSync(path.join(root, ".opencode"), { recursive: true })
  writeFileSync(path.join(root, "index.js"), "export {}\n")
  writeFileSync(path.join(root, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["test -f index.js"] }))
  git(top, "add", "-A")
  git(top, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
  const seen: string[] = []
  const { state } = await run(root, [task("A", ["a.txt"]), task("B", ["b.txt"])], async (request) => {
    seen.push(request.directory)
    const [, id] = taskOf(request)
    // Verification ran in this directory too: `test -f index.js` passes only in the subfolder.
    assert.ok(existsSync(path.join(request.directory, "index.js")), request.directory)
    writeFileSync(path.join(request.directory, `${id!.toLowerCase()}.txt`), `${id}\n`)
  })
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(state.workspace?.mode, "worktrees")
  assert.equal(state.workspace?.subfolder, "packages/app")
  for (const directory of seen) assert.ok(directory.endsWith(path.join("packages", "app")) && directory.includes(`${path.sep}.git${path.sep}`), directory)
  assert.deepEqual(state.tasks.map((item) => item.touchedFiles), [["a.txt"], ["b.txt"]], "files relative to the project")
  assert.equal(readFileSync(path.join(root, "a.txt"), "utf8"), "A\n")
  assert.equal(readFileSync(path.join(root, "b.txt"), "utf8"), "B\n")
  assert.equal(existsSync(path.join(top, "a.txt")), false)
  assert.equal(state.closing?.landing, "fast-forward")
  assert.deepEqual(state.closing?.landedFiles, ["packages/app/a.txt", "packages/app/b.txt"])
  assert.deepEqual(leftovers(top), { worktrees: 1, branches: "main" })
  assert.equal(git(top, "status", "--porcelain"), "")
})

// Each task's run leaves a mark in its own worktree and looks for its sibling's: a barrier that
// two runs pass only when they are running at the same time (10 s of slack under load).
const barrier = `case "$PWD" in */slots/*) touch .verify-mark; i=0; while [ "$(ls ../*/.verify-mark 2>/dev/null | wc -l)" -lt 2 ]; do i=$((i+1)); [ $i -gt 100 ] && exit 1; sleep 0.1; done;; esac`
// Each run prints when it started and ended: the evidence keeps it.
const interval = `node -e 'console.log("start", Date.now())'; sleep 0.3; node -e 'console.log("end", Date.now())'`

test("tasks' verifications run at once in their worktrees under the sandbox, within the configured limit", async (t) => {
  const root = repository({ verify: [barrier], concurrency: 2, verifyConcurrency: 2 })
  const { state } = await run(root, [task("A", ["a.txt"]), task("B", ["b.txt"])], async (request) => {
    const [, id] = taskOf(request)
    writeFileSync(path.join(request.directory, `${id!.toLowerCase()}.txt`), `${id}\n`)
  })
  if (state.sandbox?.kind !== "bwrap") return t.skip("no bubblewrap here")
  assert.equal(state.status, "sealed", state.endReason)
  assert.deepEqual(state.tasks.map((item) => item.evidence[0]?.exitCode), [0, 0], "both passed the barrier: they ran together")
})

test("a chain's merges are each the tree its task was verified on: the train does not verify them again, the mission's tree is verified at the end", async () => {
  const root = repository({ verify: ["test -f a.txt"], concurrency: 2 })
  const plan = [task("A", ["a.txt"]), task("B", ["b.txt"], ["A"])]
  const { state, mission } = await run(root, plan, (request) => writeFileSync(path.join(request.directory, `${taskOf(request)[1]!.toLowerCase()}.txt`), "x\n"))
  assert.equal(state.status, "sealed", state.endReason)
  const journal = missionJournal(mission.folder)
  const merges = journal.filter((entry) => entry.type === "merge-end")
  assert.deepEqual(merges.map((entry) => [entry.taskId, entry.outcome, entry.evidenceOf, entry.batch?.verifyRuns]), [
    ["A", "merged", "A", 0],
    ["B", "merged", "B", 0],
  ])
  // The tasks' own runs, then one of the mission's tree: that it holds both changes is checked there.
  const runs = journal.filter((entry) => entry.type === "verify-end")
  assert.deepEqual(runs.map((entry) => entry.taskId ?? "mission"), ["A", "B", "mission"])
  assert.equal(state.missionEvidence[0]?.exitCode, 0)
})

test("with one verification at a time, no two runs overlap", async () => {
  const root = repository({ verify: [interval], concurrency: 2, verifyConcurrency: 1 })
  const { state } = await run(root, [task("A", ["a.txt"]), task("B", ["b.txt"])], async (request) => {
    const [, id] = taskOf(request)
    writeFileSync(path.join(request.directory, `${id!.toLowerCase()}.txt`), `${id}\n`)
  })
  assert.equal(state.status, "sealed", state.endReason)
  // Every run of the mission: the tasks' and the mission branch's after each merge.
  const runs = [...state.tasks.flatMap((item) => item.evidence), ...state.missionEvidence]
  const intervals = runs.map((item) => {
    const [, start, end] = /start (\d+)\s+end (\d+)/.exec(item.outputHead) ?? []
    return [Number(start), Number(end)] as [number, number]
  })
  assert.ok(intervals.length >= 2 && intervals.every(([start, end]) => start > 0 && end >= start), JSON.stringify(runs))
  intervals.sort((a, b) => a[0] - b[0])
  for (let index = 1; index < intervals.length; index++) assert.ok(intervals[index - 1]![1] <= intervals[index]![0], `${JSON.stringify(intervals)} overlap`)
})
