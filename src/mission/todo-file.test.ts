import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdtempSync, readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { parseConfig } from "../config/config.js"
import { SharedWorkspace } from "../workspace/workspace.js"
import { Mission, todoDelayMs } from "./mission.js"

async function mission() {
  const directory = mkdtempSync(path.join(os.tmpdir(), "todo-file-"))
  return new Mission("m-todo", { type: "mission-start", missionId: "m-todo", goal: "g", rootSessionId: "ses_root", directory, verifyCommands: [] }, parseConfig("{}", "x"), await SharedWorkspace.open(directory, "test"))
}

const plan = (ids: string[]) => ({ type: "plan-accept" as const, attempt: 1, tasks: ids.map((id) => ({ id, title: `Task ${id}`, description: "", acceptance: [], files: [`${id}.txt`], dependsOn: [] })) })

test("TODO.md follows the journal within its delay; a burst of events ends in the last state", async () => {
  const subject = await mission()
  subject.record(plan(["A", "B"]))
  for (const id of ["A", "B"]) subject.record({ type: "task-start", taskId: id, attempt: 1, sessionId: `ses_${id}` })
  await sleep(todoDelayMs * 3)
  const todo = readFileSync(subject.todoFile, "utf8")
  assert.match(todo, /\*\*A\*\* Task A/)
  assert.match(todo, /\*\*B\*\* Task B/)
})

test("the report's write brings TODO.md up to date at once (the end of a mission, a pause)", async () => {
  const subject = await mission()
  subject.record(plan(["A"]))
  subject.record({ type: "mission-end", status: "stopped", reason: "test" })
  subject.writeReport()
  assert.match(readFileSync(subject.todoFile, "utf8"), /Status: \*\*stopped\*\*/)
})
