import { test } from "node:test"
import assert from "node:assert/strict"
import { setTimeout as sleep } from "node:timers/promises"
import { ConversationBudgets } from "./conversation-budgets.js"

test("the time budget runs from the first model request, not from when the host was asked", async () => {
  const budgets = new ConversationBudgets({ seconds: 0.3, toolCalls: 10 })
  const spent: string[] = []
  budgets.watch("s", (reason) => spent.push(reason))
  await sleep(250) // the host is slow to start the session: not the model's time
  budgets.noteModelRequest("s")
  await sleep(200)
  assert.deepEqual(spent, [], "0.2 s after the first request, 0.45 s after the prompt: within budget")
  for (let waited = 0; spent.length === 0 && waited < 3000; waited += 20) await sleep(20)
  assert.match(spent[0]!, /the time budget of 0.3 s was spent/)
  assert.equal(budgets.exceeded("s")?.silent, true)
  budgets.end("s")
})

test("a host that never sends a request is bounded too: the budget plus its start allowance", async () => {
  const budgets = new ConversationBudgets({ seconds: 0.2, toolCalls: 10 })
  const spent: string[] = []
  const started = Date.now()
  budgets.watch("s", (reason) => spent.push(reason))
  for (let waited = 0; spent.length === 0 && waited < 3000; waited += 10) await sleep(10)
  assert.equal(spent.length, 1)
  assert.ok(Date.now() - started >= 390, "the allowance was given")
  budgets.end("s")
})

test("tool calls past the budget are refused and spend it", () => {
  const budgets = new ConversationBudgets({ seconds: 60, toolCalls: 2 })
  const spent: string[] = []
  budgets.watch("s", (reason) => spent.push(reason))
  assert.equal(budgets.noteToolCall("s"), undefined)
  assert.equal(budgets.noteToolCall("s"), undefined)
  assert.match(budgets.noteToolCall("s") ?? "", /tool-call budget of 2 calls/)
  assert.equal(budgets.exceeded("s")?.silent, false)
  budgets.end("s")
})

test("the first model request is told once, and only for the conversation watched", () => {
  const budgets = new ConversationBudgets({ seconds: 60, toolCalls: 10 })
  const told: string[] = []
  budgets.watch("s", () => undefined, () => told.push("s"))
  budgets.noteModelRequest("other")
  assert.deepEqual(told, [])
  budgets.noteModelRequest("s")
  budgets.noteModelRequest("s")
  assert.deepEqual(told, ["s"])
  budgets.end("s")
})
