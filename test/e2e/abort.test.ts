import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import path from "node:path"
import { call, plan, say, sources, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { eventsOf, missionFolder, sampleProject } from "./e2e-fixture.js"
import { serveHost, waitFor } from "./serve-fixture.js"

test("aborting the root session stops the mission and aborts the worker's session too", async () => {
  const project = sampleProject()
  const onlyA = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  // The worker's first model call hangs: the abort must reach it through the plugin.
  const hangingWorker = { agent: "worker", replies: [{ tools: [{ name: "write", args: { filePath: "src/sum.js", content: sources.sum } }], delayMs: 60_000 }] }
  const chat = { agent: "commander", when: "hello", replies: [say("Hello! No mission is running.")] }
  const host = await serveHost(project, sumStatsScenario([chat, onlyA, hangingWorker]))
  try {
    const root = (await host.client.session.create({ body: { title: "abort test" } })).data!.id
    const command = host.client.session.command({ path: { id: root }, body: { command: "task", arguments: "add a sum function" } })
    await waitFor("the worker's model call", () => host.model.requests.find((r) => r.agent === "worker"))

    await host.client.session.abort({ path: { id: root } })
    await command

    const end = await waitFor("mission-end", () => eventsOf(project, "mission-end")[0], 15_000)
    assert.equal(end.status, "stopped")
    assert.equal(end.reason, "aborted by the user")

    const workerSession = eventsOf(project, "task-start")[0]!.sessionId
    const messages = await waitFor("the worker's aborted message", async () => {
      const data = (await host.client.session.messages({ path: { id: workerSession } })).data ?? []
      const last = data.filter((m) => m.info.role === "assistant").at(-1)
      return (last?.info as { error?: { name: string } } | undefined)?.error ? data : undefined
    })
    const lastAssistant = messages.filter((m) => m.info.role === "assistant").at(-1)!.info as { error: { name: string } }
    assert.equal(lastAssistant.error.name, "MessageAbortedError")
    assert.equal(host.model.requests.filter((r) => r.agent === "reviewer").length, 0, "nothing ran after the abort")
    const report = readFileSync(path.join(missionFolder(project), "report.md"), "utf8")
    assert.match(report, /\*\*STOPPED\*\*: aborted by the user/)
    // It says which tasks were stopped, and keeps the verification commands it did not get to run.
    assert.match(report, /\| A Sum function \| stopped \|/)
    assert.match(report, /STOPPED \(aborted by the user\); tasks stopped: A/)
    assert.match(report, /Not run \(the mission ended before its final verification\)\. Commands: `npm test`/)
    assert.doesNotMatch(report, /no verification commands/)
    // The stopped mission's worktrees and branches are gone (none held approved work).
    const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" }).trim()
    assert.equal(git("worktree", "list").split("\n").length, 1)
    assert.equal(git("branch", "--format=%(refname:short)"), "main")

    // The user pressed Esc and knows: their next message to the commander is answered normally.
    const next = await host.client.session.prompt({ path: { id: root }, body: { agent: "commander", parts: [{ type: "text", text: "hello" }] } })
    assert.equal((next.data?.info as { error?: unknown } | undefined)?.error, undefined, JSON.stringify(next.data?.info))
    assert.ok(host.model.requests.some((r) => r.agent === "commander" && r.lastUserText === "hello"))
  } finally {
    await host.stop()
  }
})
