import { test } from "node:test"
import assert from "node:assert/strict"
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseConfig } from "../config/config.js"
import { applyEvent, initialState } from "../mission/mission-state.js"
import { Mission } from "../mission/mission.js"
import { readJournal } from "../store/journal.js"
import { acquireMissionLock } from "../store/mission-lock.js"
import { SharedWorkspace } from "../workspace/workspace.js"
import { commanderStepUpdate } from "./commander-spend.js"
import { missionSpend } from "./spend.js"

const usage = (input: number, output = 0) => ({ input, output, reasoning: 0, cache: { read: 0, write: 0 } })
const start = initialState({ type: "mission-start", missionId: "m", goal: "g", rootSessionId: "ses_root", directory: "/p", verifyCommands: [] })

test("each commander step counts once, by its own totals: a step reported twice, or with nothing yet, adds nothing", () => {
  assert.equal(commanderStepUpdate(start, { id: "msg_1", sessionID: "ses_root", tokens: usage(0), cost: 0 }), undefined, "a step just opened")
  assert.equal(commanderStepUpdate(start, { id: "msg_1", sessionID: "ses_root" }), undefined, "a user message has no usage")
  const first = commanderStepUpdate(start, { id: "msg_1", sessionID: "ses_root", tokens: usage(1500, 40), cost: 0.01 })!
  let state = applyEvent(start, first)
  assert.equal(commanderStepUpdate(state, { id: "msg_1", sessionID: "ses_root", tokens: usage(1500, 40), cost: 0.01 }), undefined, "nothing new")
  // A second step, and a step in another root session (a resume elsewhere): each its own account.
  state = applyEvent(state, commanderStepUpdate(state, { id: "msg_2", sessionID: "ses_root", tokens: usage(1800, 20), cost: 0.02 })!)
  state = applyEvent(state, commanderStepUpdate(state, { id: "msg_1", sessionID: "ses_other", tokens: usage(700), cost: 0.005 })!)
  const spend = missionSpend(state)
  assert.equal(spend.tokens.input, 4000)
  assert.equal(spend.tokens.output, 60)
  assert.ok(Math.abs(spend.cost - 0.035) < 1e-9)
  assert.ok(state.spend.every((entry) => entry.role === "commander"))
})

async function endedMission() {
  const directory = mkdtempSync(path.join(os.tmpdir(), "commander-spend-"))
  const mission = new Mission("m-late", { type: "mission-start", missionId: "m-late", goal: "g", rootSessionId: "ses_root", directory, verifyCommands: [] }, parseConfig("{}", "x"), await SharedWorkspace.open(directory, "test"))
  const lock = acquireMissionLock(mission.folder)
  assert.ok(lock.ok)
  mission.holdJournal(lock.value)
  mission.record({ type: "mission-end", status: "stopped", reason: "test" })
  mission.writeReport()
  mission.releaseJournal()
  return mission
}

test("a step that finishes after the run let go of the journal is recorded under the lock, and report.md is written again", async () => {
  const mission = await endedMission()
  assert.doesNotMatch(readFileSync(mission.reportFile, "utf8"), /\| commander \|/)
  assert.equal(mission.recordLate(commanderStepUpdate(mission.state, { id: "msg_1", sessionID: "ses_root", tokens: usage(1234), cost: 0 })!), true)
  assert.deepEqual(readJournal(mission.journalFile).entries.map((entry) => entry.type).slice(-2), ["mission-end", "usage-update"])
  assert.match(readFileSync(mission.reportFile, "utf8"), /\| commander \| 1234 \|/)
  assert.ok(acquireMissionLock(mission.folder).ok, "the lock was given back")
})

test("a late step is dropped, not forced in, when another process holds the journal or wrote it since", async () => {
  const held = await endedMission()
  const other = acquireMissionLock(held.folder)
  assert.ok(other.ok)
  assert.equal(held.recordLate(commanderStepUpdate(held.state, { id: "msg_1", sessionID: "ses_root", tokens: usage(10), cost: 0 })!), false)
  other.value.release()

  const written = await endedMission()
  appendFileSync(written.journalFile, "") // unchanged: still ours
  assert.equal(written.recordLate(commanderStepUpdate(written.state, { id: "msg_1", sessionID: "ses_root", tokens: usage(10), cost: 0 })!), true)
  appendFileSync(written.journalFile, '{"seq":99}\n') // another writer's line
  const before = readFileSync(written.journalFile, "utf8")
  assert.equal(written.recordLate(commanderStepUpdate(written.state, { id: "msg_2", sessionID: "ses_root", tokens: usage(10), cost: 0 })!), false)
  assert.equal(readFileSync(written.journalFile, "utf8"), before)
})
