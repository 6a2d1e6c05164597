import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { readJournal } from "../mission/journal.js"
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
