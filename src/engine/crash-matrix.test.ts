import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { readJournal } from "../store/journal.js"
import type { MissionState } from "../mission/mission-state.js"
import { missionsFolder } from "../mission/mission.js"

// The crash matrix: a mission runs once cleanly, then once per fault point, where its process is
// killed hard (SIGKILL) and a new process resumes it. Every resumed mission must end like the
// clean one (same tasks approved, same files, same TODO.md up to attempt numbers), nothing
// approved before the crash may be redone, and nothing may be left behind in git.

const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "testing", "crash-run.ts")
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim()

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "crash-"))
  git(dir, "init", "-q", "-b", "main")
  writeFileSync(path.join(dir, "README.md"), "crash matrix\n")
  mkdirSync(path.join(dir, ".opencode"))
  writeFileSync(path.join(dir, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["test -f README.md"], maxReviewRounds: 3 }))
  git(dir, "add", "-A")
  git(dir, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
  return dir
}

function run(dir: string, mode: "start" | "resume", fault?: string) {
  const env = { ...process.env, ORCHESTRATOR_FAULT: fault ?? "" }
  const result = spawnSync(process.execPath, ["--import", "tsx", runner, dir, mode], { env, encoding: "utf8", timeout: 60_000 })
  return { signal: result.signal, status: result.status, state: result.status === 0 ? (JSON.parse(result.stdout) as MissionState) : undefined, stderr: result.stderr }
}

function missionFolder(dir: string): string {
  const root = path.join(dir, missionsFolder)
  return path.join(root, readdirSync(root).find((name) => name.startsWith("m-"))!)
}

const normalizedTodo = (dir: string, state: MissionState) =>
  readFileSync(path.join(missionFolder(dir), "TODO.md"), "utf8").replaceAll(state.missionId, "<mission>").replace(/ · attempt \d+| \(attempt \d+\)/g, "")
const files = (dir: string) => ["a.txt", "b.txt", "c.txt"].map((file) => readFileSync(path.join(dir, file), "utf8"))
const approvals = (dir: string) => readJournal(path.join(missionFolder(dir), "journal.jsonl")).entries.filter((entry) => entry.type === "task-approve")

const eventTypes = ["workspace-open", "plan-accept", "worktree-ready", "task-start", "work-submit", "work-commit", "verify-end", "review-end", "merge-start", "merge-end", "task-approve", "usage-update", "master-review-end", "mission-end"]
const faultPoints = [
  // Every kind of journal write a mission makes, just before and just after it.
  ...eventTypes.flatMap((type) => [`before:${type}`, `after:${type}`]),
  "before:workspace-close",
  "merge:committed",
  "worktree:placed",
  "land:done",
]

test("crash matrix: killed at any fault point, a resumed mission ends as the clean run, losing nothing approved", { timeout: 600_000 }, () => {
  const clean = project()
  const baseline = run(clean, "start")
  assert.equal(baseline.state?.status, "sealed", baseline.stderr)
  const expectedTodo = normalizedTodo(clean, baseline.state!)
  const expectedFiles = files(clean)

  for (const fault of faultPoints) {
    const dir = project()
    const crashed = run(dir, "start", fault)
    assert.equal(crashed.signal, "SIGKILL", `${fault}: the fault point was not reached\n${crashed.stderr}`)
    const approvedBefore = approvals(dir).map((entry) => `${entry.taskId}@${entry.attempt}`)
    const resumed = run(dir, "resume")
    assert.equal(resumed.status, 0, `${fault}: the resume failed\n${resumed.stderr}`)
    const state = resumed.state!
    assert.equal(state.status, "sealed", `${fault}: ${state.endReason}`)
    assert.deepEqual(files(dir), expectedFiles, fault)
    assert.equal(normalizedTodo(dir, state), expectedTodo, fault)
    const approvedAfter = approvals(dir).map((entry) => `${entry.taskId}@${entry.attempt}`)
    for (const approval of approvedBefore) assert.equal(approvedAfter.filter((entry) => entry === approval).length, 1, `${fault}: ${approval} was redone or lost`)
    assert.equal(approvedAfter.length, 3, fault)
    assert.equal(state.resumes, 1, fault)
    assert.equal(git(dir, "worktree", "list").split("\n").length, 1, fault)
    assert.equal(git(dir, "branch", "--format=%(refname:short)"), "main", fault)
    assert.equal(git(dir, "status", "--porcelain"), "", fault)
  }
})

test("a full disk (ulimit -f) mid-mission pauses it with a storage error; nothing unwritten is acted on, and a resume seals it losing nothing", { timeout: 120_000 }, () => {
  const clean = project()
  assert.equal(run(clean, "start").state?.status, "sealed")
  const dir = project()
  // SIGXFSZ ignored stays ignored across exec: writes past 6 KiB fail with EFBIG instead of killing the process.
  const limited = spawnSync("bash", ["-c", `trap '' XFSZ; ulimit -f 6; exec "${process.execPath}" --import tsx "${runner}" "${dir}" start`], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ORCHESTRATOR_FAULT: "", TSX_DISABLE_CACHE: "1" },
  })
  assert.equal(limited.status, 0, limited.stderr)
  const paused = JSON.parse(limited.stdout) as MissionState
  assert.equal(paused.status, "paused")
  assert.match(paused.endReason ?? "", /journal could not be written \(EFBIG\)/)
  const journal = readJournal(path.join(missionFolder(dir), "journal.jsonl"))
  assert.equal(journal.tornTail, undefined, "the failed write was cut back")
  // What the process knew when it halted is exactly what is on disk: it acted on nothing more.
  assert.ok([paused.events - 1, paused.events].includes(journal.entries.length), `${paused.events} events in memory (the pause among them), ${journal.entries.length} on disk`)
  const resumed = run(dir, "resume")
  assert.equal(resumed.state?.status, "sealed", resumed.stderr)
  assert.deepEqual(files(dir), files(clean))
  const approved = approvals(dir).map((entry) => entry.taskId).sort()
  assert.deepEqual(approved, ["A", "B", "C"], "each task approved exactly once")
  assert.equal(git(dir, "worktree", "list").split("\n").length, 1)
})

test("20 resumes started at once: exactly one engine runs the mission, the others are refused", { timeout: 180_000 }, async () => {
  const dir = project()
  const crashed = run(dir, "start", "after:task-approve")
  assert.equal(crashed.signal, "SIGKILL")
  const results = await Promise.all(
    Array.from({ length: 20 }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", runner, dir, "resume"], { env: { ...process.env, ORCHESTRATOR_FAULT: "" }, stdio: ["ignore", "pipe", "pipe"] })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (chunk) => (stdout += chunk))
      child.stderr.on("data", (chunk) => (stderr += chunk))
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })))
    }),
  )
  const winners = results.filter((result) => result.status === 0)
  assert.equal(winners.length, 1, results.map((result) => result.stderr.split("\n").find((line) => /Error/.test(line)) ?? result.status).join("\n"))
  assert.equal((JSON.parse(winners[0]!.stdout) as MissionState).status, "sealed")
  for (const loser of results.filter((result) => result.status !== 0)) assert.match(loser.stderr, /cannot be resumed: another orchestrator|has ended/)
  const journal = readJournal(path.join(missionFolder(dir), "journal.jsonl")).entries
  assert.equal(journal.filter((entry) => entry.type === "mission-resume").length, 1)
  assert.deepEqual(approvals(dir).map((entry) => entry.taskId).sort(), ["A", "B", "C"])
})
