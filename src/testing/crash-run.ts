// One process of the crash matrix: starts (or resumes) a mission on a git project with the host
// played by a cooperative fake whose workers write `<task>.txt` in their own directory. With
// ORCHESTRATOR_FAULT set, the process dies hard at that point. Prints the final state as JSON.
// Usage: node --import tsx src/testing/crash-run.ts <project> start|resume
import { appendFileSync } from "node:fs"
import path from "node:path"
import { resumeMission } from "../engine/resume-mission.js"
import { startMission } from "../engine/start-mission.js"
import type { PlannedTask } from "../mission/mission-event.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import { FakeHost } from "./fake-host.js"

export const crashPlan: PlannedTask[] = ["A", "B", "C"].map((id) => ({
  id,
  title: `Write ${id}`,
  description: "",
  acceptance: [],
  files: [`${id.toLowerCase()}.txt`],
  dependsOn: id === "C" ? ["A", "B"] : [],
}))

const [project, mode] = process.argv.slice(2)
const registry = new MissionRegistry()
const host = new FakeHost(async (request) => {
  const mission = registry.binding(request.sessionId)!.mission
  const task = /Task (\S+) · attempt/.exec(request.text)?.[1]
  if (request.agent === "planner") mission.submitPlan(request.sessionId, crashPlan)
  if (request.agent === "worker" && task) {
    appendFileSync(path.join(request.directory, `${task.toLowerCase()}.txt`), `${task}\n`)
    mission.submitWork(request.sessionId, "written")
  }
  if (request.agent === "reviewer") mission.submitVerdict(request.sessionId, "review", { verdict: "approve", findings: [] })
  if (request.agent === "master-reviewer") mission.submitVerdict(request.sessionId, "verdict", { verdict: "approve", findings: [] })
})
const request = { registry, host, directory: project!, rootSessionId: `ses_root_${mode}` }
const started = mode === "resume" ? await resumeMission(request) : await startMission({ ...request, goal: "write three files" })
process.stdout.write(JSON.stringify(await started.finished))
