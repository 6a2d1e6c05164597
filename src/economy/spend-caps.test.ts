import { test } from "node:test"
import assert from "node:assert/strict"
import type { MissionEvent } from "../mission/mission-event.js"
import { applyEvent, initialState, type MissionState } from "../mission/mission-state.js"
import { checkSpendCaps, warningLine } from "./spend-caps.js"

const tokens = (input: number) => ({ input, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 })
function state(events: MissionEvent[]): MissionState {
  const start = initialState({ type: "mission-start", missionId: "m", goal: "g", rootSessionId: "s", directory: "/p", verifyCommands: [] })
  const plan: MissionEvent = { type: "plan-accept", attempt: 1, tasks: ["A", "B"].map((id) => ({ id, title: id, description: "", acceptance: [], files: [], dependsOn: [] })) }
  return [plan, ...events].reduce(applyEvent, start)
}
const used = (sessionId: string, taskId: string | undefined, input: number, cost: number): MissionEvent => ({ type: "usage-update", sessionId, role: taskId ? "worker" : "planner", taskId, attempt: taskId ? 1 : undefined, tokens: tokens(input), cost })

test("no caps, nothing to say", () => {
  assert.deepEqual(checkSpendCaps(state([used("p", undefined, 1e9, 1e6)]), {}), { reached: undefined, warnings: [] })
})

test("at 80% a cap warns once; at 100% it is reached, with what to do", () => {
  const caps = { missionTokens: 1000, missionDollars: 1 }
  const near = state([used("p", undefined, 500, 0.1), used("a", "A", 300, 0.1)])
  const check = checkSpendCaps(near, caps)
  assert.equal(check.reached, undefined)
  assert.deepEqual(check.warnings, [{ cap: "missionTokens", taskId: undefined, spent: 800, limit: 1000 }])
  assert.equal(warningLine(check.warnings[0]!), "Spend warning: the mission spent 800 of its 1000-token cap (80%)")
  const warned = applyEvent(near, { type: "budget-warn", ...check.warnings[0]! })
  assert.deepEqual(checkSpendCaps(warned, caps).warnings, [], "said once")
  // Running totals: session a now stands at 400 tokens (mission 900, under the token cap) and $0.95 (mission $1.05, over).
  const over = applyEvent(warned, used("a", "A", 400, 0.95))
  assert.match(checkSpendCaps(over, caps).reached ?? "", /^the mission spent \$1\.05 of its \$1\.00 cap \(raise "budget\.missionDollars"/)
  assert.equal(checkSpendCaps(over, { missionTokens: 10_000 }).reached, undefined, "raising the cap lets it go on")
})

test("a task's cap counts that task's conversations only, every attempt and role", () => {
  const caps = { taskTokens: 100 }
  const spent = state([used("a", "A", 60, 0), { type: "usage-update", sessionId: "r", role: "reviewer", taskId: "A", attempt: 1, tokens: tokens(45), cost: 0 }, used("b", "B", 99, 0), used("p", undefined, 5000, 0)])
  assert.match(checkSpendCaps(spent, caps).reached ?? "", /^task A spent 105 of its 100-token cap/)
  assert.deepEqual(checkSpendCaps(spent, caps).warnings.map((warning) => warning.taskId), ["B"])
})
