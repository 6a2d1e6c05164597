// npm run bench:schedule [short|long] [tasks] [rows]: does parallelism pay off? A layered plan (four
// layers, each task after one task of the layer before, disjoint files, verify `true`) on the real
// host with the scripted model, whose only latency is each worker's first reply: 1–3 s (short,
// seeded) or about 15 s (long, as with real models). It runs at k=4 and k=8, with worktrees on and
// off, in this process, and prints makespan against the ideal, max(critical path, Σ latency / k),
// counting only the scripted model's time, from the plan's acceptance; the whole mission, from its
// `/task` to its seal, against the planner's latency plus that ideal; the planning overhead (the
// `/task` to the plan's acceptance, less the planner's latency); the per-task overhead (from the
// task asking for its tree, or its start without worktrees, to its merge, less its model time);
// k=8 against k=4; worktrees on against off; the git processes per task (counted by a `git` first
// on the host's PATH that logs each call, then runs the real one); and the CPU time per task of
// the host and everything it ran (Linux: this process's reaped children). It also splits the
// per-task overhead into the steps of a task, from the journal and the scripted model's request
// log (also for the first layer, whose trees may be cold, and the later ones apart), and gives it
// by layer of the plan (a layer's tasks start together, and at k=8 the first layer's also finish
// together). rows (e.g. `8on,4off`) runs only those of the four.
import { execFileSync } from "node:child_process"
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { processCpu } from "./process-cpu.js"
import { approveMission, approveReview, call, say } from "../src/demo/sum-stats-scenario.js"
import type { PlannedTask } from "../src/mission/mission-event.js"
import type { Scenario, ScriptedRule } from "../src/scripted-model/scenario.js"
import { runHost } from "../src/testing/run-host.js"
import { createSampleProject, missionFolders, missionJournal, untrackedConfigFolder } from "../src/testing/sample-project.js"

const profile = process.argv[2] === "long" ? "long" : "short"
/** The host's file snapshots, on as by default (as users have them); BENCH_SNAPSHOT=0 turns them off, as the runs before 2026-12-07 had them. */
const hostSnapshots = process.env.BENCH_SNAPSHOT !== "0"
const taskCount = Number(process.argv[3] ?? 30)
const layers = 4
const only = process.argv[4]?.split(",")
const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-schedule-"))
const home = path.join(scratch, "home")

/** A `git` that appends its arguments to $BENCH_GIT_LOG, then runs the real git. */
const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim()
const counting = path.join(scratch, "bin")
mkdirSync(counting)
writeFileSync(path.join(counting, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "$BENCH_GIT_LOG"\nexec ${realGit} "$@"\n`)
chmodSync(path.join(counting, "git"), 0o755)

/** CPU seconds of this process's ended and reaped children (the host, and the git, bwrap and verification it ran); undefined off Linux. */
const childCpuSeconds = () => processCpu("self")?.children

const sum = (values: number[]) => values.reduce((all, value) => all + value, 0)
const mean = (values: number[]) => sum(values) / values.length

/** A seeded generator (mulberry32): the same latencies in every run of the benchmark. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const random = seeded(13)
const ids = Array.from({ length: taskCount }, (_, index) => `T${index + 1}`)
const layerOf = (index: number) => Math.floor((index * layers) / taskCount)
const plan: PlannedTask[] = ids.map((id, index) => {
  const layer = layerOf(index)
  const before = ids.filter((_, other) => layerOf(other) === layer - 1)
  return { id, title: `Module ${id}`, description: `Add src/${id.toLowerCase()}.js exporting ${id.toLowerCase()}().`, acceptance: [`src/${id.toLowerCase()}.js exists`], files: [`src/${id.toLowerCase()}.js`], dependsOn: before.length ? [before[index % before.length]!] : [] }
})
/** The planner takes a worker's typical time too, as a real model does: the task trees are warmed meanwhile. */
const plannerMs = profile === "long" ? 15_000 : 2000
const latencyMs = new Map(ids.map((id) => [id, profile === "long" ? Math.round(14_000 + random() * 2000) : Math.round(1000 + random() * 2000)]))

function scenario(): Scenario {
  const workers: ScriptedRule[] = ids.map((id) => ({
    agent: "worker",
    task: id,
    replies: [
      { tools: [{ name: "write", args: { filePath: `src/${id.toLowerCase()}.js`, content: `export function ${id.toLowerCase()}() {\n  return "${id}"\n}\n` } }], delayMs: latencyMs.get(id)! },
      call("submit_work", { summary: `Added src/${id.toLowerCase()}.js.` }),
      say("Submitted."),
    ],
  }))
  return {
    rules: [{ agent: "commander", replies: [call("run_mission", { goal: "add the modules" }), say("Done.")] }, { agent: "planner", replies: [{ ...call("submit_plan", { tasks: plan }), delayMs: plannerMs }, say("Plan submitted.")] }, ...workers, approveReview, approveMission],
    fallback: { text: "Done." },
  }
}

/** Ideal makespan at k: the longest chain of latencies, or all of them spread over k slots. */
function ideal(k: number): number {
  const finish = new Map<string, number>()
  for (const task of plan) finish.set(task.id, latencyMs.get(task.id)! + Math.max(0, ...task.dependsOn.map((dep) => finish.get(dep)!)))
  const total = sum([...latencyMs.values()])
  return Math.max(Math.max(...finish.values()), total / k)
}

const template = () => untrackedConfigFolder(createSampleProject(path.join(scratch, "template")))

interface Result {
  /** From the plan's acceptance to the last task's approval: the tasks' part. */
  makespanMs: number
  /** From the mission's start (the `/task`) to its seal: the planning and everything after the tasks too. */
  missionMs: number
  /** From the mission's start to the plan's acceptance, less the planner's latency. */
  planningOverheadMs: number
  overheadMs: number
  /** git processes per task: the engine's (run with its hardening flags), and the host's own. */
  gitOurs: number
  gitHost: number
  /** The merge train's verification runs per merged task (a batch verifies once, a bisection more). */
  trainRuns: number
  /** CPU seconds per task of the host run (its start and the planner included), if measurable. */
  cpuPerTask?: number
  /** The per-task overhead by step: mean milliseconds of each gap between a task's marks. */
  steps: number[]
  /** The same, of the first layer's tasks (their trees' instances may be cold) and of the later layers' apart. */
  stepsFirst: number[]
  stepsLater: number[]
  /** The mean per-task overhead of each layer of the plan (ms). */
  layers: number[]
}

/** A task's marks, in the order they happen; the overhead is the sum of the gaps, less the model's latency. */
const stepNames = ["tree asked → session open", "session → the worker's request", "its reply, less the latency", "reply → submit", "submit → commit", "commit → verified", "verified → reviewed", "reviewed → merged"]

let runs = 0
async function mission(source: string, k: number, worktrees: boolean): Promise<Result> {
  const name = `${++runs}-k${k}-${worktrees ? "worktrees" : "shared"}`
  const project = path.join(scratch, name)
  cpSync(source, project, { recursive: true, verbatimSymlinks: true })
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["true"], concurrency: k, maxPlanTasks: Math.max(30, taskCount), worktrees: { enabled: worktrees } }))
  const gitLog = path.join(scratch, `git-${name}.log`)
  const env = { PATH: `${counting}${path.delimiter}${process.env.PATH}`, BENCH_GIT_LOG: gitLog }
  const cpuBefore = childCpuSeconds()
  const run = await runHost({ project, home, scenario: scenario(), args: ["--command", "task", "add", "the", "modules"], timeoutMs: 1_800_000, env, snapshot: hostSnapshots })
  const cpuAfter = childCpuSeconds()
  const journal = missionJournal(missionFolders(project)[0]!)
  const end = journal.find((entry) => entry.type === "mission-end")
  if (run.exitCode !== 0 || !end || end.status !== "sealed") throw new Error(`mission did not seal (exit ${run.exitCode}):\n${run.output.slice(-2000)}`)
  const at = (entry: { at: string }) => Date.parse(entry.at)
  const missionStart = journal.find((entry) => entry.type === "mission-start")!
  const planned = journal.find((entry) => entry.type === "plan-accept")!
  const approvals = journal.filter((entry) => entry.type === "task-approve")
  if (process.env.BENCH_KEEP) writeFileSync(path.join(scratch, `requests-${name}.jsonl`), run.requests.map(({ index, agent, task, sessionId, startedAt, endedAt }) => JSON.stringify({ index, agent, task, sessionId, startedAt, endedAt })).join("\n"))
  const steps = ids.map((id) => {
    const mark = (type: string) => journal.find((entry) => entry.type === type && "taskId" in entry && entry.taskId === id && (type !== "merge-end" || ("outcome" in entry && entry.outcome === "merged")))
    const time = (type: string) => {
      const entry = mark(type)
      return entry && at(entry)
    }
    const first = run.requests.find((request) => request.agent === "worker" && request.task === id)!
    // The task begins when it asks for its tree (the tree's event says how long that took), or, without
    // worktrees, at its start; then there is no commit and no merge: those steps take nothing (the approval ends it).
    const tree = mark("worktree-ready")
    const begun = tree?.type === "worktree-ready" ? at(tree) - tree.createMs - tree.prepareMs : time("task-start")
    const times = [begun, time("task-start"), first.startedAt, first.endedAt ?? first.startedAt, time("work-submit"), time("work-commit"), time("verify-end"), time("review-end"), time("merge-end") ?? time("task-approve")]
    for (let index = 1; index < times.length; index++) times[index] ??= times[index - 1]
    const gaps = times.slice(1).map((value, index) => value! - times[index]!)
    // The third gap is the worker's first request: the model's latency is not overhead.
    gaps[2]! -= latencyMs.get(id)!
    return gaps
  })
  /** Each step's mean over the tasks of the layers `included`. */
  const meanSteps = (included: (layer: number) => boolean) => stepNames.map((_, index) => mean(steps.filter((_, task) => included(layerOf(task))).map((task) => task[index]!)))
  /** Each task's whole overhead. */
  const totals = steps.map(sum)
  const batches = new Map<number, number>()
  for (const entry of journal) if (entry.type === "merge-end" && entry.batch) batches.set(entry.batch.id, entry.batch.verifyRuns)
  const merged = journal.filter((entry) => entry.type === "merge-end" && entry.outcome === "merged").length
  const calls = existsSync(gitLog) ? readFileSync(gitLog, "utf8").split("\n").filter(Boolean) : []
  const ours = calls.filter((line) => line.includes("core.hooksPath=")).length
  return {
    makespanMs: Math.max(...approvals.map(at)) - at(planned),
    missionMs: at(end) - at(missionStart),
    planningOverheadMs: at(planned) - at(missionStart) - plannerMs,
    overheadMs: mean(totals),
    gitOurs: ours / ids.length,
    gitHost: (calls.length - ours) / ids.length,
    trainRuns: merged ? sum([...batches.values()]) / merged : 0,
    cpuPerTask: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / ids.length,
    steps: meanSteps(() => true),
    stepsFirst: meanSteps((layer) => layer === 0),
    stepsLater: meanSteps((layer) => layer > 0),
    layers: Array.from({ length: layers }, (_, layer) => mean(totals.filter((_, index) => layerOf(index) === layer))),
  }
}

const source = template()
await mission(source, 4, true).catch(() => undefined) // warm-up: a fresh HOME's first host start is slower
const rows: Array<{ k: number; worktrees: boolean; result: Result }> = []
for (const worktrees of [true, false]) for (const k of [4, 8]) if (!only || only.includes(`${k}${worktrees ? "on" : "off"}`)) rows.push({ k, worktrees, result: await mission(source, k, worktrees) })
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
console.log(`bench:schedule · ${taskCount} tasks in ${layers} layers · ${profile} latency (${profile === "long" ? "14–16" : "1–3"} s per worker, the planner ${plannerMs / 1000} s) · verify true`)
console.log("| k | worktrees | makespan | ideal | makespan / ideal | whole mission / ideal | planning overhead | per-task overhead | git processes per task (engine + host) | train verifications per task | CPU per task |")
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (const row of rows) {
  const { makespanMs, missionMs, planningOverheadMs, overheadMs, gitOurs, gitHost, trainRuns, cpuPerTask } = row.result
  const train = row.worktrees ? trainRuns.toFixed(2) : "–"
  const cpu = cpuPerTask === undefined ? "–" : seconds(cpuPerTask * 1000)
  console.log(`| ${row.k} | ${row.worktrees ? "on" : "off"} | ${seconds(makespanMs)} | ${seconds(ideal(row.k))} | ${(makespanMs / ideal(row.k)).toFixed(2)} | ${(missionMs / (plannerMs + ideal(row.k))).toFixed(2)} | ${seconds(planningOverheadMs)} | ${seconds(overheadMs)} | ${gitOurs.toFixed(1)} + ${gitHost.toFixed(1)} | ${train} | ${cpu} |`)
}
console.log(`the per-task overhead by step (mean ms): ${stepNames.join(" · ")}`)
for (const row of rows) console.log(`k=${row.k} ${row.worktrees ? "on" : "off"}: ${row.result.steps.map((ms) => ms.toFixed(0)).join(" · ")}`)
const stepsText = (steps: number[]) => `${steps.map((ms) => ms.toFixed(0)).join(" · ")} (sum ${sum(steps).toFixed(0)})`
for (const row of rows) console.log(`k=${row.k} ${row.worktrees ? "on" : "off"}, first layer: ${stepsText(row.result.stepsFirst)}; later layers: ${stepsText(row.result.stepsLater)}`)
console.log(`the per-task overhead by layer of the plan (mean ms): ${Array.from({ length: layers }, (_, layer) => layer + 1).join(" · ")}`)
for (const row of rows) console.log(`k=${row.k} ${row.worktrees ? "on" : "off"}: ${row.result.layers.map((ms) => ms.toFixed(0)).join(" · ")}`)
const find = (k: number, worktrees: boolean) => rows.find((row) => row.k === k && row.worktrees === worktrees)?.result.makespanMs
const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? "–" : (a / b).toFixed(2))
console.log(`k=8 against k=4 (worktrees on): ${ratio(find(4, true), find(8, true))}× faster (ideal ${(ideal(4) / ideal(8)).toFixed(2)}×)`)
console.log(`worktrees on against off: k=4 ${ratio(find(4, true), find(4, false))}×, k=8 ${ratio(find(8, true), find(8, false))}× the makespan`)
// The projects and their journals go with the run unless asked for (BENCH_KEEP=1 keeps them, and says where).
if (process.env.BENCH_KEEP) console.log(`projects and journals: ${scratch}`)
else rmSync(scratch, { recursive: true, force: true })
