import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { MissionRegistry } from "../mission/mission-registry.js"
import { readJournal } from "../store/journal.js"
import { FakeHost } from "../testing/fake-host.js"
import { diagnosticsName } from "../verify/ts-diagnostics.js"
import { startMission } from "./start-mission.js"

/** A TypeScript project with the compiler installed (ours, linked) and one error that was there before the mission. */
function typescriptProject(config: object): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), "diagnostics-"))
  mkdirSync(path.join(directory, ".opencode"))
  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["true"], ...config }))
  mkdirSync(path.join(directory, "node_modules"))
  symlinkSync(path.dirname(path.dirname(fileURLToPath(import.meta.resolve("typescript")))), path.join(directory, "node_modules", "typescript"))
  writeFileSync(path.join(directory, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ["src"] }))
  mkdirSync(path.join(directory, "src"))
  writeFileSync(path.join(directory, "src", "old.ts"), "export const old: number = 'already wrong'\n")
  return directory
}

test("a new compiler error in a changed file overrules an approve; an old one does not; the fix is approved", async () => {
  const directory = typescriptProject({ sandbox: "off" })
  const registry = new MissionRegistry()
  let attempt = 0
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") mission.submitPlan(request.sessionId, [{ id: "A", title: "Add total", description: "", acceptance: [], files: ["src/total.ts"], dependsOn: [] }])
    if (request.agent === "worker") {
      attempt++
      // Attempt 1 adds a type error; attempt 2 fixes it. Both touch the file with the old error too.
      writeFileSync(path.join(directory, "src", "total.ts"), attempt === 1 ? "export const total: number = 'ten'\n" : "export const total: number = 10\n")
      writeFileSync(path.join(directory, "src", "old.ts"), "export const old: number = 'already wrong'\n// touched\n")
      mission.noteTouched(request.sessionId, "src/total.ts")
      mission.noteTouched(request.sessionId, "src/old.ts")
      mission.submitWork(request.sessionId, "done")
    }
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  })
  const started = await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "add total" })
  const state = await started.finished
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(state.tasks[0]!.attempts, 2)
  const journal = readJournal(started.mission.journalFile).entries
  const reviews = journal.filter((entry) => entry.type === "review-end")
  assert.deepEqual(reviews.map((review) => [review.modelVerdict, review.verdict, review.overruled]), [["approve", "reject", true], ["approve", "approve", false]])
  const verifications = journal.filter((entry) => entry.type === "verify-end" && entry.taskId === "A")
  const compiled = verifications.map((entry) => (entry.type === "verify-end" ? entry.evidence.find((item) => item.command === diagnosticsName) : undefined))
  assert.equal(compiled[0]?.exitCode, 2)
  assert.match(compiled[0]!.outputHead, /^1 new compiler error in the changed files:\nsrc\/total\.ts\(1\): error TS2322/)
  assert.doesNotMatch(compiled[0]!.outputHead, /old\.ts/, "the error that was there before is not the task's")
  assert.equal(compiled[1]?.exitCode, 0)
})

test("diagnostics off, or no tsconfig: no compiler runs and no evidence is added", async () => {
  const directory = typescriptProject({ sandbox: "off", diagnostics: "off" })
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") mission.submitPlan(request.sessionId, [{ id: "A", title: "Add total", description: "", acceptance: [], files: ["src/total.ts"], dependsOn: [] }])
    if (request.agent === "worker") {
      writeFileSync(path.join(directory, "src", "total.ts"), "export const total: number = 'ten'\n")
      mission.noteTouched(request.sessionId, "src/total.ts")
      mission.submitWork(request.sessionId, "done")
    }
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  })
  const state = await (await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "add total" })).finished
  assert.equal(state.status, "sealed")
  assert.ok(state.tasks[0]!.evidence.every((item) => item.command !== diagnosticsName))
})

test("a compiler that crashes says nothing about the change: no evidence, and the task is reviewed as usual", async () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "diagnostics-crash-"))
  mkdirSync(path.join(directory, ".opencode"))
  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["true"], sandbox: "off" }))
  mkdirSync(path.join(directory, "node_modules", "typescript", "bin"), { recursive: true })
  writeFileSync(path.join(directory, "node_modules", "typescript", "bin", "tsc"), "console.error('internal compiler crash'); process.exit(1)\n")
  writeFileSync(path.join(directory, "tsconfig.json"), "{}")
  const registry = new MissionRegistry()
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") mission.submitPlan(request.sessionId, [{ id: "A", title: "Add total", description: "", acceptance: [], files: ["src/total.ts"], dependsOn: [] }])
    if (request.agent === "worker") {
      mkdirSync(path.join(directory, "src"), { recursive: true })
      writeFileSync(path.join(directory, "src", "total.ts"), "export const total = 10\n")
      mission.noteTouched(request.sessionId, "src/total.ts")
      mission.submitWork(request.sessionId, "done")
    }
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  })
  const state = await (await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "add total" })).finished
  assert.equal(state.status, "sealed", state.endReason)
  assert.equal(state.tasks[0]!.attempts, 1)
  assert.ok(state.tasks[0]!.evidence.every((item) => item.command !== diagnosticsName))
})
