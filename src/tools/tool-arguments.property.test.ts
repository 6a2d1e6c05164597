import { test } from "node:test"
import assert from "node:assert/strict"
import type { ToolContext } from "@opencode-ai/plugin/tool"
import fc from "fast-check"
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseConfig } from "../config/config.js"
import { readJournal } from "../store/journal.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import { Mission } from "../mission/mission.js"
import { SharedWorkspace } from "../workspace/workspace.js"
import { missionStatusTool, missionStopTool, runMissionTool } from "./commander-tools.js"
import { submitPlanTool, submitReviewTool, submitVerdictTool, submitWorkTool } from "./submission-tools.js"

// Bad input, generated: every tool's arguments and every plan either pass validation or are refused
// with a message for the model. Nothing else is thrown, no state changes on a refusal, the journal
// stays readable, and no prototype is polluted.

const context = (sessionID: string) => ({ sessionID }) as ToolContext
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "../../etc/passwd", "/etc/passwd", "~/.ssh/id_rsa", "a\u0000b", "C:\\Windows", "", " ", "A"),
  fc.string({ minLength: 5000, maxLength: 20_000 }),
)
const deep = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: "small" }, fc.jsonValue(), fc.array(tie("node"), { maxLength: 3 }), fc.dictionary(nasty, tie("node"), { maxKeys: 3 })) })).node
const task = fc.record({ id: nasty, title: nasty, description: nasty, acceptance: fc.array(nasty, { maxLength: 3 }), files: fc.array(nasty, { maxLength: 3 }), dependsOn: fc.array(nasty, { maxLength: 3 }) })
const anyArguments = fc.oneof(deep, fc.record({ tasks: fc.oneof(fc.array(task, { maxLength: 6 }), deep) }), fc.record({ verdict: fc.oneof(fc.constantFrom("approve", "reject"), nasty), findings: fc.oneof(deep, fc.array(fc.record({ message: nasty, file: nasty }), { maxLength: 3 })) }), fc.record({ summary: nasty }))

/** A mission whose slots wait for every kind of submission; with a plan (task A) unless a plan is what is tested. */
async function freshMission(planned = true) {
  const directory = mkdtempSync(path.join(os.tmpdir(), "property-"))
  const start = { type: "mission-start" as const, missionId: "m-property", goal: "g", rootSessionId: "ses_root", directory, verifyCommands: [] }
  const mission = new Mission("m-property", start, parseConfig("{}", "x"), await SharedWorkspace.open(directory, "test"))
  const registry = new MissionRegistry()
  registry.add(mission)
  if (planned) mission.record({ type: "plan-accept", attempt: 1, tasks: [{ id: "A", title: "a", description: "", acceptance: [], files: [], dependsOn: [] }] })
  for (const [session, role, kind] of [["ses_plan", "planner", "plan"], ["ses_work", "worker", "work"], ["ses_review", "reviewer", "review"], ["ses_verdict", "master-reviewer", "verdict"]] as const) {
    registry.bind(session, { mission, role, taskId: "A" })
    mission.openSlot(session, kind, directory, "A", 1)
  }
  return { mission, registry }
}

async function outcome(run: () => Promise<unknown>): Promise<"accepted" | "refused"> {
  try {
    await run()
    return "accepted"
  } catch (error) {
    assert.ok(error instanceof Error && (error.constructor === Error || error.name === "SubmissionError"), `unexpected ${String(error)}`)
    assert.ok(error.message.length > 0 && error.message.length < 8000, `a refusal of ${error.message.length} characters`)
    return "refused"
  }
}

test("any arguments to any submit tool: accepted only when valid, otherwise a message; state and journal stay sound", async () => {
  await fc.assert(
    fc.asyncProperty(anyArguments, fc.constantFrom("plan", "work", "review", "verdict"), async (args, which) => {
      const { mission, registry } = await freshMission(which !== "plan")
      const tools = { plan: [submitPlanTool(registry), "ses_plan"], work: [submitWorkTool(registry), "ses_work"], review: [submitReviewTool(registry), "ses_review"], verdict: [submitVerdictTool(registry), "ses_verdict"] } as const
      const [tool, session] = tools[which]
      const before = mission.state
      const result = await outcome(() => tool.execute(args as never, context(session)))
      if (which === "plan") assert.equal(mission.state.tasks.length > 0, result === "accepted")
      if (which === "review" || which === "verdict") assert.equal(mission.state, before, "a verdict changes no state by itself")
      // Another session may not use a slot that is not its own.
      assert.equal(await outcome(() => tool.execute(args as never, context("ses_stranger"))), "refused")
      assert.ok(readJournal(mission.journalFile).entries.length >= 1)
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
      assert.equal(Object.getPrototypeOf({}), Object.prototype)
    }),
    { numRuns: 150 },
  )
})

test("any arguments to the commander's tools: a refusal or an answer, never a crash", async () => {
  const registry = new MissionRegistry()
  const refusedStarts: string[] = []
  const run = runMissionTool({
    registry,
    start: async (_session, goal) => {
      refusedStarts.push(goal)
      throw new Error("not starting in this test")
    },
    finished: () => undefined,
    onUnsealed: () => {},
    endedThisTurn: new Set<string>(),
  })
  const status = missionStatusTool(registry)
  const stop = missionStopTool(registry)
  const toolContext = { sessionID: "ses_root", abort: new AbortController().signal, metadata: () => {} } as unknown as ToolContext
  await fc.assert(
    fc.asyncProperty(anyArguments, async (args) => {
      for (const tool of [run, status, stop]) await outcome(() => tool.execute(args as never, toolContext))
      assert.equal(registry.get("m-anything"), undefined)
    }),
    { numRuns: 100 },
  )
  assert.ok(refusedStarts.every((goal) => typeof goal === "string"), "only a string goal reached the start")
})

test("plans with duplicate ids, unknown or cyclic dependencies, escaping paths or thousands of tasks are refused whole", async () => {
  const { mission, registry } = await freshMission(false)
  const plan = submitPlanTool(registry)
  const base = { title: "t", description: "d", acceptance: [], dependsOn: [] as string[] }
  const cases = [
    [{ ...base, id: "A", files: [] }, { ...base, id: "A", files: [] }],
    [{ ...base, id: "A", files: [], dependsOn: ["B"] }, { ...base, id: "B", files: [], dependsOn: ["A"] }],
    [{ ...base, id: "A", files: [], dependsOn: ["Z"] }],
    [{ ...base, id: "A", files: ["../../etc/passwd"] }],
    [{ ...base, id: "__proto__", files: ["/etc/passwd"] }],
    Array.from({ length: 5000 }, (_, index) => ({ ...base, id: `T${index}`, files: [] })),
  ]
  for (const tasks of cases) assert.equal(await outcome(() => plan.execute({ tasks } as never, context("ses_plan"))), "refused", JSON.stringify(tasks).slice(0, 200))
  assert.deepEqual(mission.state.tasks, [])
})

test("any config text: a valid config or a ConfigError naming the problems, never anything else", () => {
  const configText = fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.dictionary(fc.constantFrom("verify", "concurrency", "roles", "worktrees", "budget", "workerWeb", "__proto__", "constructor", "x"), deep).map((value) => JSON.stringify(value)),
    deep.map((value) => JSON.stringify({ worktrees: { link: value }, roles: { worker: value } })),
  )
  fc.assert(
    fc.property(configText, (text) => {
      try {
        const config = parseConfig(text, ".opencode/orchestrator.json")
        assert.ok(config.concurrency >= 1 && config.concurrency <= 16)
      } catch (error) {
        assert.equal((error as Error).name, "ConfigError", String(error))
        assert.ok((error as { problems: string[] }).problems.length > 0)
      }
      assert.equal(Object.getPrototypeOf({}), Object.prototype)
    }),
    { numRuns: 400 },
  )
})
