import { test } from "node:test"
import assert from "node:assert/strict"
import { machineVerifySlots, memoryPerVerification, missionVerifySlots } from "./verify-slots.js"

test("the machine's slots are bounded by its cores and its free memory, never below one", () => {
  assert.equal(machineVerifySlots({ cores: 8, freeMemory: 16 * 2 ** 30 }), 8)
  assert.equal(machineVerifySlots({ cores: 8, freeMemory: 3 * memoryPerVerification }), 3)
  assert.equal(machineVerifySlots({ cores: 2, freeMemory: 100 }), 1)
})

test("a mission's runs go in parallel only in worktrees, and under the sandbox unless the user set a number", () => {
  assert.equal(missionVerifySlots("auto", { worktrees: true, sandboxed: true }, 4), 4)
  assert.equal(missionVerifySlots("auto", { worktrees: true, sandboxed: false }, 4), 1, "no network namespace of their own: shared ports")
  assert.equal(missionVerifySlots(3, { worktrees: true, sandboxed: false }, 4), 3, "the user's number wins")
  assert.equal(missionVerifySlots(3, { worktrees: false, sandboxed: true }, 4), 1, "one directory: never two runs in it")
})
