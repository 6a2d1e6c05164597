import { test } from "node:test"
import assert from "node:assert/strict"
import { countTokens } from "gpt-tokenizer"
import { z } from "zod"
import { roleNames } from "../config/config.js"
import { MissionRegistry } from "../mission/mission-registry.js"
import { missionTools } from "../tools/mission-tools.js"
import { agentDefinitions, roleTools, taskCommandTemplate } from "./agents.js"

// Budgets from the project's token policy: prompts are money, measured with a real tokenizer (o200k).
const promptBudget = 800
const toolBudget = 400

function ourTools() {
  return missionTools({ registry: new MissionRegistry(), start: async () => { throw new Error("unused") }, finished: () => undefined, onUnsealed: () => {}, endedThisTurn: new Set<string>() })
}

/** What a model is sent for one tool: name, description and the JSON schema of its arguments. */
function toolTokens(name: string, definition: { description: string; args: Record<string, z.ZodType> }): number {
  return countTokens(JSON.stringify({ name, description: definition.description, parameters: z.toJSONSchema(z.object(definition.args)) }))
}

test(`every role prompt is at most ${promptBudget} tokens`, () => {
  const sizes = Object.fromEntries(Object.entries(agentDefinitions()).map(([role, agent]) => [role, countTokens(agent.prompt)]))
  console.log("# role prompt tokens:", JSON.stringify(sizes))
  for (const [role, size] of Object.entries(sizes)) assert.ok(size <= promptBudget, `${role} prompt is ${size} tokens`)
})

test(`our tools offered to any one role cost at most ${toolBudget} tokens`, () => {
  const tools = ourTools() as Record<string, { description: string; args: Record<string, z.ZodType> }>
  const sizes = Object.fromEntries(roleNames.map((role) => [role, roleTools[role].reduce((sum, name) => sum + toolTokens(name, tools[name]!), 0)]))
  console.log("# tool schema tokens per role:", JSON.stringify(sizes))
  for (const [role, size] of Object.entries(sizes)) assert.ok(size <= toolBudget, `${role} tools are ${size} tokens`)
  assert.deepEqual(Object.keys(tools).sort(), [...new Set(Object.values(roleTools).flat())].sort(), "every tool belongs to a role")
})

test("the /task template does not repeat the commander's system prompt", () => {
  const commander = agentDefinitions().commander.prompt
  assert.ok(countTokens(taskCommandTemplate) < 30)
  for (const line of commander.split("\n").filter((l) => l.trim().length > 20)) assert.ok(!taskCommandTemplate.includes(line.trim()))
})

test("each role is allowed its own tools only, and denied the host's task tool", () => {
  const agents = agentDefinitions()
  for (const role of roleNames) {
    const permission = agents[role].permission
    const allowed = (tool: string) => (permission[tool] ?? permission["*"] ?? "allow") === "allow"
    for (const tool of new Set(Object.values(roleTools).flat())) assert.equal(allowed(tool), roleTools[role].includes(tool), `${role} / ${tool}`)
    assert.equal(allowed("task"), false, `${role} / task`)
  }
  assert.equal(agents.worker.permission.external_directory, "deny")
  for (const role of ["planner", "reviewer", "master-reviewer", "commander"] as const) {
    assert.equal(agents[role].permission["*"], "deny")
    for (const tool of ["edit", "write", "bash"]) assert.equal(agents[role].permission[tool], undefined, `${role} may not ${tool}`)
  }
})
