import { test } from "node:test"
import assert from "node:assert/strict"
import { describeRequest, selectReply, type ChatMessage } from "./request-facts.js"
import { parseScenario } from "./scenario.js"

const system = (text: string): ChatMessage => ({ role: "system", content: text })
const user = (text: string): ChatMessage => ({ role: "user", content: [{ type: "text", text }] })
const assistantCall: ChatMessage = { role: "assistant", content: "", tool_calls: [{ function: { name: "write", arguments: "{}" } }] }
const toolResult: ChatMessage = { role: "tool", content: "ok", tool_call_id: "c1" }

test("agent, task, attempt and step come from what was sent", () => {
  const facts = describeRequest([system("You are the orchestrator's worker. Do things."), user("Task A · attempt 1\nTitle: x"), assistantCall, toolResult])
  assert.deepEqual(facts, { agent: "worker", isTitleRequest: false, task: "A", attempt: 1, step: 1, lastUserText: "Task A · attempt 1\nTitle: x" })
})

test("without a role line the agent header is used; the latest task line wins", () => {
  const facts = describeRequest([system("anything"), user("Task A · attempt 1"), assistantCall, toolResult, user("Task A · attempt 2\nfix it")], "reviewer")
  assert.equal(facts.agent, "reviewer")
  assert.equal(facts.attempt, 2)
  assert.equal(facts.step, 0)
})

test("a reminder without a task line keeps the task of the conversation", () => {
  const facts = describeRequest([system("x"), user("Task B · attempt 3"), assistantCall, user("You stopped without calling submit_work.")], "worker")
  assert.deepEqual([facts.task, facts.attempt, facts.step], ["B", 3, 0])
})

test("title requests are recognised and answered without a rule", () => {
  const facts = describeRequest([system("You are a title generator. You output ONLY a thread title."), user("hello")])
  assert.equal(facts.isTitleRequest, true)
  assert.deepEqual(selectReply(parseScenario({ rules: [] }), facts).reply, { text: "Orchestrated mission" })
})

test("the first matching rule with a reply for the step answers; otherwise the fallback", () => {
  const scenario = parseScenario({
    rules: [
      { agent: "worker", task: "A", attempt: 2, replies: [{ text: "second" }] },
      { agent: "worker", task: "A", replies: [{ text: "first" }, { text: "then" }] },
      { agent: "master-reviewer", round: 2, replies: [{ text: "round two" }] },
      { agent: "planner", when: "sums", replies: [{ text: "planned sums" }] },
    ],
    fallback: { text: "fallback" },
  })
  const at = (agent: string, text: string, extra: ChatMessage[] = []) => selectReply(scenario, describeRequest([system("s"), user(text), ...extra], agent))
  assert.equal(at("worker", "Task A · attempt 2").reply.text, "second")
  assert.equal(at("worker", "Task A · attempt 1").reply.text, "first")
  assert.equal(at("worker", "Task A · attempt 1", [assistantCall, toolResult]).reply.text, "then")
  assert.equal(at("worker", "Task A · attempt 1", [assistantCall, toolResult, assistantCall, toolResult]).reply.text, "fallback")
  assert.equal(at("master-reviewer", "Mission round 2\nGoal").reply.text, "round two")
  assert.equal(at("master-reviewer", "Mission round 1\nGoal").reply.text, "fallback")
  assert.equal(at("planner", "Mission: add sums").reply.text, "planned sums")
})

test("a malformed scenario is refused with the path of the problem", () => {
  assert.throws(() => parseScenario({ rules: [{ agent: "worker", replies: [] }] }), /invalid scenario[\s\S]*rules\[0\]\.replies/)
  assert.throws(() => parseScenario({ rules: [], extra: 1 }), /invalid scenario/)
})
