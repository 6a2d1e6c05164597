import { test } from "node:test"
import assert from "node:assert/strict"
import type { ToolContext } from "@opencode-ai/plugin/tool"
import { MissionRegistry } from "../mission/mission-registry.js"
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
