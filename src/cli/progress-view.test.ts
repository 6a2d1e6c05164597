import { test } from "node:test"
import assert from "node:assert/strict"
import type { JournalEntry, MissionEvent } from "../mission/mission-event.js"
import { foldEvents } from "../mission/mission-state.js"
import { plan } from "../demo/sum-stats-scenario.js"
import { currentSteps, formatElapsed, plainLine, progressBlock } from "./progress-view.js"

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString()
const journal = (events: MissionEvent[]): JournalEntry[] => events.map((event, index) => ({ ...event, v: 2, at: at(index), seq: index + 1 }))

const events: MissionEvent[] = [
  { type: "mission-start", missionId: "m-1", goal: "add stats", rootSessionId: "root", directory: "/p", verifyCommands: ["npm test"] },
  { type: "plan-accept", attempt: 1, tasks: plan },
  { type: "task-start", taskId: "A", attempt: 1, sessionId: "a" },
  { type: "task-start", taskId: "B", attempt: 1, sessionId: "b" },
  { type: "work-submit", taskId: "B", attempt: 1, summary: "done", touchedFiles: ["src/product.js"] },
  { type: "usage-update", sessionId: "a", role: "worker", taskId: "A", attempt: 1, tokens: { input: 1500, output: 500, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0.012 },
]

test("the live block counts tasks by state, names each running task's step, and the spend so far", () => {
  const entries = journal(events)
  const block = progressBlock(foldEvents(entries), entries, 75_000)
  assert.equal(block[0], "Mission m-1 · running · 1m 15s · 2.0k tokens · $0.0120")
  assert.equal(block[1], "tasks: 1 pending · 1 working · 1 reviewing")
  assert.deepEqual(block.slice(2, 4), ["  A Sum function: attempt 1 started", "  B Product function: work submitted (src/product.js)"])
  assert.equal(block.at(-1), "last: task B: work submitted (src/product.js)")
  // Lines fit the terminal.
  for (const line of progressBlock(foldEvents(entries), entries, 0, 30)) assert.ok(line.length <= 30, line)
})

test("before the journal exists the block says it is starting; plain lines carry the time since the start", () => {
  assert.deepEqual(progressBlock(undefined, [], 3_000), ["Starting the mission… 3s"])
  const entries = journal(events)
  assert.equal(plainLine(entries[2]!, Date.parse(at(0))), "[     2s] task A: attempt 1 started")
  assert.equal(plainLine(entries[5]!, Date.parse(at(0))), undefined, "usage updates are not progress lines")
  assert.equal(currentSteps(entries).get("B"), "work submitted (src/product.js)")
  assert.equal(formatElapsed(3_723_000), "62m 03s")
})
