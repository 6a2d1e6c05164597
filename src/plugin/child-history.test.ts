import { test } from "node:test"
import assert from "node:assert/strict"
import type { MissionEvent } from "../mission/mission-event.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import { foldEvents } from "../mission/mission-state.js"
import { ChildHistory } from "./child-history.js"
import type { HistoryMessage } from "../context/history-prune.js"

const events: MissionEvent[] = [
  { type: "mission-start", missionId: "m-1", goal: "add stats", rootSessionId: "root", directory: "/p", verifyCommands: [] },
  { type: "plan-accept", attempt: 1, tasks: [{ id: "C", title: "Stats module", description: "src/stats.js combines sum and product.", acceptance: ["stats([1,2,3]) gives mean 2"], files: ["src/stats.js"], dependsOn: [] }] },
  { type: "task-start", taskId: "C", attempt: 1, sessionId: "worker" },
  { type: "mission-amend", text: "no new dependencies" },
]
const budgets = { planner: 16_000, worker: 12_000, reviewer: 24_000, "master-reviewer": 24_000 }

/** A registry with one mission (a fake that records what it is told), its root and one worker session. */
function registry() {
  const recorded: MissionEvent[] = []
  const mission = { id: "m-1", state: foldEvents(events), config: { context: { budgets } }, record: (event: MissionEvent) => recorded.push(event) }
  const sessions = new MissionRegistry()
  sessions.bind("root", { mission: mission as never, role: "commander" })
  sessions.bind("worker", { mission: mission as never, role: "worker", taskId: "C" })
  return { sessions, recorded }
}

/** After a compaction: the compaction request, its summary, the host's continue message, then big tool outputs. */
function compacted(sessionID: string): HistoryMessage[] {
  const tool = (index: number) => ({ info: { id: `a${index}`, role: "assistant", sessionID }, parts: [{ id: `t${index}`, type: "tool", tool: "read", state: { status: "completed", input: {}, output: "word ".repeat(3000) } }] })
  return [
    { info: { id: "u1", role: "user", sessionID }, parts: [{ id: "c1", type: "compaction" }] },
    { info: { id: "a1", role: "assistant", sessionID }, parts: [{ id: "s1", type: "text", text: "Summary." }] },
    { info: { id: "u2", role: "user", sessionID }, parts: [{ id: "x1", type: "text", text: "Continue if you have next steps" }] },
    tool(2),
    tool(3),
    tool(4),
  ]
}

test("a compacted worker session gets its brief back, the same bytes every request, and its old outputs are pruned to its budget", async () => {
  const { sessions, recorded } = registry()
  const history = new ChildHistory(sessions)
  const brief = history.compacting("worker")!
  assert.match(brief, /^The orchestrator's brief for this worker session \(kept through compaction\)\.\nTask C · attempt 1\nTitle: Stats module\n/)
  assert.match(brief, /- stats\(\[1,2,3\]\) gives mean 2/)
  assert.match(brief, /\[amendment:1\] no new dependencies/)
  assert.deepEqual(recorded, [{ type: "session-compact", sessionId: "worker", role: "worker", taskId: "C" }])
  const first = compacted("worker")
  await history.transform(first)
  const again = compacted("worker")
  await history.transform(again)
  assert.equal(JSON.stringify(again), JSON.stringify(first), "the same history gives the same bytes")
  assert.equal(first[2]!.parts[1]!.text, brief, "the brief follows the host's continue message")
  assert.match(first[3]!.parts[0]!.state!.output!, /\[shortened by the orchestrator: \d+ tokens; run read again to see it\]/)
  assert.equal(first[5]!.parts[0]!.state!.output, "word ".repeat(3000), "the newest output is whole")
})

test("the user's sessions and the commander's are never touched", async () => {
  const { sessions } = registry()
  const history = new ChildHistory(sessions)
  assert.equal(history.compacting("root"), undefined)
  assert.equal(history.compacting("someone-else"), undefined)
  for (const session of ["root", "someone-else"]) {
    const messages = compacted(session)
    const before = JSON.stringify(messages)
    await history.transform(messages)
    assert.equal(JSON.stringify(messages), before, session)
  }
})
