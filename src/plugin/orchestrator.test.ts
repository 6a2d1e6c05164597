import { test } from "node:test"
import assert from "node:assert/strict"
import type { PluginInput } from "@opencode-ai/plugin"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { createOrchestrator } from "./orchestrator.js"

// The config hook uses nothing of the input but the directory; the client is never called here.
const input = { directory: "/nonexistent/project", client: {} } as unknown as PluginInput

async function configured(start: Record<string, any>, directory = input.directory) {
  const hooks = await createOrchestrator().instance({ ...input, directory })
  const config = structuredClone(start)
  await hooks.config!(config as never)
  return config
}

test("our agents and /task are added; the default agent is never set", async () => {
  const config = await configured({})
  assert.deepEqual(Object.keys(config.agent).sort(), ["commander", "master-reviewer", "planner", "reviewer", "worker"])
  assert.equal(config.agent.commander.mode, "primary")
  assert.equal(config.agent.worker.mode, "subagent")
  assert.equal(config.command.task.agent, "commander")
  assert.match(config.command.task.template, /\$ARGUMENTS/)
  assert.equal("default_agent" in config, false)
})

test("the user's agents, default agent and own /task stay as they were", async () => {
  const mine = { mode: "primary", prompt: "my build agent" }
  const config = await configured({ default_agent: "build", agent: { build: mine }, command: { task: { template: "my task $ARGUMENTS" } } })
  assert.equal(config.default_agent, "build")
  assert.deepEqual(config.agent.build, mine)
  assert.deepEqual(config.command.task, { template: "my task $ARGUMENTS" })
})

test("the host's file snapshots are off in our worktrees' instances only; the user's own keep their setting", async () => {
  const slot = "/nonexistent/project/.git/orchestrator-worktrees/m1/slots/2"
  assert.equal((await configured({}, slot)).snapshot, false)
  assert.equal((await configured({ snapshot: true }, `${slot}/packages/app`)).snapshot, false, "a project in a subfolder of the slot")
  assert.equal((await configured({}, "/nonexistent/project/.git/orchestrator-worktrees/m1/mission")).snapshot, false)
  assert.equal("snapshot" in (await configured({})), false)
  assert.equal((await configured({ snapshot: true })).snapshot, true)
  assert.equal((await configured({ snapshot: true }, "/work/orchestrator-worktrees")).snapshot, true, "a folder of that name is not a mission's tree")
})

test("the user's settings for our agents win, permissions merged key by key", async () => {
  const config = await configured({ agent: { worker: { model: "anthropic/claude-x", permission: { bash: "ask" } } } })
  assert.equal(config.agent.worker.model, "anthropic/claude-x")
  assert.equal(config.agent.worker.permission.bash, "ask")
  assert.equal(config.agent.worker.permission.external_directory, "deny")
  assert.match(config.agent.worker.prompt, /^You are the orchestrator's worker\./)
})

test("our tools are hidden from the user's agents by default, without changing their permissions", async () => {
  const fresh = await configured({})
  for (const tool of ["submit_plan", "submit_work", "submit_review", "submit_verdict", "run_mission", "mission_status", "mission_stop"])
    assert.equal(fresh.permission[tool], "deny", tool)
  const theirs = await configured({ permission: { bash: "ask", run_mission: "allow" } })
  assert.equal(theirs.permission.bash, "ask")
  assert.equal(theirs.permission.run_mission, "allow", "a user's own choice stays")
  assert.equal(theirs.permission.submit_plan, "deny")
  const plain = await configured({ permission: "ask" })
  assert.equal(plain.permission["*"], "ask")
  assert.equal(plain.permission.submit_work, "deny")
})

test("the user's agents may not delegate to our subagents; their own task rules stay", async () => {
  const fresh = await configured({})
  assert.deepEqual(fresh.permission.task, { "*": "allow", planner: "deny", worker: "deny", reviewer: "deny", "master-reviewer": "deny" })
  const asked = await configured({ permission: { task: "ask" } })
  assert.equal(asked.permission.task["*"], "ask")
  assert.equal(asked.permission.task.worker, "deny")
  const theirs = await configured({ permission: { task: { "*": "deny", worker: "allow" } } })
  assert.deepEqual(theirs.permission.task, { "*": "deny", worker: "allow", planner: "deny", reviewer: "deny", "master-reviewer": "deny" })
  for (const role of ["planner", "worker", "reviewer", "master-reviewer"]) assert.equal(fresh.agent[role].hidden, true)
  assert.equal(fresh.agent.commander.hidden, undefined)
})

test("a start error fails the commander's turn, retries included, until the session goes idle", async () => {
  const hooks = await createOrchestrator().instance(input)
  await hooks["command.execute.before"]!({ command: "task", sessionID: "ses_root", arguments: "   " }, { parts: [] })
  const call = (agent: string) => hooks["chat.params"]!({ sessionID: "ses_root", agent } as never, {} as never)
  await assert.doesNotReject(call("title"), "other agents' calls are untouched")
  await assert.rejects(call("commander"), /^Error: No mission given\. Usage: \/task/)
  await assert.rejects(call("commander"), /No mission given/, "a host retry fails the same way")
  await hooks.event!({ event: { type: "session.status", properties: { sessionID: "ses_root", status: { type: "idle" } } } as never })
  await assert.doesNotReject(call("commander"), "the user's next message runs normally")
})

test("workers get no web tools unless orchestrator.json says workerWeb", async () => {
  assert.equal((await configured({})).agent.worker.permission.webfetch, "deny")
  const directory = mkdtempSync(path.join(os.tmpdir(), "web-"))
  mkdirSync(path.join(directory, ".opencode"))
  writeFileSync(path.join(directory, ".opencode", "orchestrator.json"), '{ "workerWeb": true }')
  const hooks = await createOrchestrator().instance({ ...input, directory } as PluginInput)
  const config = {} as Record<string, any>
  await hooks.config!(config as never)
  assert.equal(config.agent.worker.permission.webfetch, undefined)
  assert.equal(config.agent.worker.permission.task, "deny")
})

test("a refusal does not outlive its turn: Esc, or the next start, clears it", async () => {
  const hooks = await createOrchestrator().instance(input)
  const call = () => hooks["chat.params"]!({ sessionID: "ses_root", agent: "commander" } as never, {} as never)
  // Refused (as a /task queued behind a running mission would be), then Esc before that turn ran.
  await hooks["command.execute.before"]!({ command: "task", sessionID: "ses_root", arguments: "" }, { parts: [] })
  await hooks.event!({ event: { type: "session.error", properties: { sessionID: "ses_root", error: { name: "MessageAbortedError", data: {} } } } as never })
  await assert.doesNotReject(call(), "the aborted turn's refusal is gone")
  // Refused, then another /task: whatever that one says is for its own turn, not the old refusal.
  await hooks["command.execute.before"]!({ command: "task", sessionID: "ses_root", arguments: "" }, { parts: [] })
  await hooks["command.execute.before"]!({ command: "resume-mission", sessionID: "ses_root", arguments: "m-nope" }, { parts: [] })
  await assert.rejects(call(), /There is no mission "m-nope" in this project\. No mission here can be resumed\./)
})

test("a blank or quoted-blank goal is refused, quotes around a goal are taken off", async () => {
  const { missionGoal } = await import("../engine/start-mission.js")
  for (const blank of ["", "   ", '"   "', "' '", '""', "\"'  '\"", "…", "  --  "]) assert.equal(missionGoal(blank), "", JSON.stringify(blank))
  assert.equal(missionGoal('"add a sum function"'), "add a sum function")
  assert.equal(missionGoal("add \"quoted\" words"), 'add "quoted" words')
})

test("only `opencode run` is a headless run", async () => {
  const { isHeadlessRun } = await import("../host/headless-run.js")
  assert.equal(isHeadlessRun(["bun", "/$bunfs/root/src/index.js", "run", "hi"]), true)
  assert.equal(isHeadlessRun(["bun", "/$bunfs/root/src/index.js", "--print-logs", "run"]), true)
  assert.equal(isHeadlessRun(["bun", "/$bunfs/root/src/index.js"]), false)
  assert.equal(isHeadlessRun(["bun", "/$bunfs/root/src/index.js", "serve", "run"]), false)
})
