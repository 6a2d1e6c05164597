// npm run bench:scale — a plan of 250, 500 and 1,000 tasks (10 layers, each task after one of the
// layer before, disjoint files) on the fake host: no model, no git, no verification, so what is
// measured is the engine itself (scheduling, the journal, state folding, TODO.md, the report).
// Prints wall time, time per task, peak RSS, and the 1,000/250 ratio of time per task (1.0 is linear).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { startMission } from "../src/engine/start-mission.js"
import type { PlannedTask } from "../src/mission/mission-event.js"
import { MissionRegistry } from "../src/mission/mission-registry.js"
import { FakeHost } from "../src/testing/fake-host.js"

function layeredPlan(size: number): PlannedTask[] {
  const perLayer = size / 10
  return Array.from({ length: size }, (_, index) => {
    const layer = Math.floor(index / perLayer)
    const id = `T${index}`
    return { id, title: `Task ${id}`, description: "", acceptance: [], files: [`src/${id}.txt`], dependsOn: layer ? [`T${index - perLayer}`] : [] }
  })
}

async function run(size: number) {
  const directory = mkdtempSync(path.join(os.tmpdir(), "bench-scale-"))
  mkdirSync(path.join(directory, ".opencode"))
  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), JSON.stringify({ verify: [], concurrency: 16, maxPlanTasks: 1000, diagnostics: "off", sandbox: "off" }))
  const registry = new MissionRegistry()
  const plan = layeredPlan(size)
  const host = new FakeHost(async (request) => {
    const mission = registry.binding(request.sessionId)!.mission
    if (request.agent === "planner") mission.submitPlan(request.sessionId, plan)
    if (request.agent === "worker") mission.submitWork(request.sessionId, "done")
    if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
    if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
  })
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  const started = performance.now()
  const state = await (await startMission({ registry, host, directory, rootSessionId: `ses_${size}`, goal: "scale" })).finished
  const ms = performance.now() - started
  clearInterval(sampler)
  if (state.status !== "sealed") throw new Error(`${size} tasks: ${state.status} ${state.endReason}`)
  return { size, ms, peakMb: peak / 1024 / 1024, events: state.events }
}

console.log("| tasks | events | wall | per task | peak RSS |")
console.log("| --- | --- | --- | --- | --- |")
const results = []
for (const size of [250, 500, 1000]) {
  const result = await run(size)
  results.push(result)
  console.log(`| ${size} | ${result.events} | ${(result.ms / 1000).toFixed(2)} s | ${(result.ms / size).toFixed(2)} ms | ${result.peakMb.toFixed(0)} MB |`)
}
const [small, , large] = results
console.log(`| time per task, 1000 against 250 | ${(large!.ms / 1000 / (small!.ms / 250)).toFixed(2)}× | | | |`)
