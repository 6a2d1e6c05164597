import { test } from "node:test"
import assert from "node:assert/strict"
import type { ToolContext } from "@opencode-ai/plugin/tool"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { startMission } from "../engine/start-mission.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import { FakeHost } from "../testing/fake-host.js"
import { missionStatusTool, missionStopTool, runMissionTool } from "./commander-tools.js"
import { submitPlanTool, submitReviewTool, submitWorkTool } from "./submission-tools.js"

const context = (sessionID: string) => ({ sessionID }) as ToolContext

test("arguments that do not match the schema are refused with the path and a way forward", async () => {
  const plan = submitPlanTool(new MissionRegistry())
  await assert.rejects(plan.execute({ tasks: "A then B" } as never, context("s")), /invalid arguments for submit_plan: tasks: .*expected array.*Call submit_plan again/)
  const review = submitReviewTool(new MissionRegistry())
  await assert.rejects(review.execute({ verdict: "maybe", findings: [] } as never, context("s")), /invalid arguments for submit_review: verdict: /)
  await assert.rejects(review.execute({ verdict: "reject", findings: [{ file: "a" }] } as never, context("s")), /findings\.0\.message/)
})

test("a valid call from a session that is not the role's is refused", async () => {
  const work = submitWorkTool(new MissionRegistry())
  await assert.rejects(work.execute({ summary: "done" }, context("ses_stranger")), /only an orchestrator worker session may call this tool/)
})

test("mission_status shows the root session's TODO; mission_stop stops its mission and its children", async () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "tools-"))
  mkdirSync(path.join(directory, ".opencode"))
  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), '{"verify": ["true"]}')
  const registry = new MissionRegistry()
  const status = missionStatusTool(registry)
  const stop = missionStopTool(registry)
  assert.equal(await status.execute({}, context("ses_root")), "No mission in this session.")

  let planned!: () => void
  const planning = new Promise<void>((resolve) => (planned = resolve))
  const host = new FakeHost(async (request) => {
    if (request.agent !== "planner") return
    registry.binding(request.sessionId)!.mission.submitPlan(request.sessionId, [{ id: "A", title: "Write a", description: "", acceptance: [], files: ["a"], dependsOn: [] }])
    planned()
    await new Promise((resolve) => setTimeout(resolve, 50)) // the planner's turn is still open
  })
  const started = await startMission({ registry, host, directory, rootSessionId: "ses_root", goal: "write a" })
  await planning
  assert.match(String(await status.execute({}, context("ses_root"))), /- \[ \] \*\*A\*\* Write a/)
  assert.match(String(await stop.execute({}, context("ses_root"))), /^Stopping mission m-/)
  const state = await started.finished
  assert.equal(state.status, "stopped")
  assert.equal(state.endReason, "stopped by mission_stop")
  assert.deepEqual(host.aborted, [host.prompts[0]!.sessionId], "the planner's open turn was aborted")
  assert.equal(await stop.execute({}, context("ses_root")), "No running mission in this session.")
})

test("run_mission that cannot start a mission refuses, and ends the commander's turn with the reason", async () => {
  const unsealed: string[] = []
  const runMission = runMissionTool({
    registry: new MissionRegistry(),
    start: async () => {
      throw new Error("No verification command found")
    },
    finished: () => undefined,
    onUnsealed: (_session, message) => unsealed.push(message),
    endedThisTurn: new Set<string>(),
  })
  await assert.rejects(runMission.execute({ goal: "x" }, { ...context("ses_root"), abort: new AbortController().signal } as ToolContext), /No verification command found/)
  assert.deepEqual(unsealed, ["No verification command found"])
})
