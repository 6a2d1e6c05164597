import { test } from "node:test"
import assert from "node:assert/strict"
import { goal, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { eventsOf, sampleProject } from "./e2e-fixture.js"
import { serveHost, waitFor } from "./serve-fixture.js"

test("as in the TUI: /task's message is the user's words, and the end is posted into the session by code after the commander's reply", async () => {
  const project = sampleProject()
  const host = await serveHost(project, sumStatsScenario())
  try {
    const root = (await host.client.session.create({ body: { title: "tui" } })).data!.id
    await host.client.session.command({ path: { id: root }, body: { command: "task", arguments: goal } })
    const missionId = eventsOf(project, "mission-start")[0]!.missionId
    const messages = await waitFor("the posted end", async () => {
      const data = (await host.client.session.messages({ path: { id: root } })).data ?? []
      return data.some((message) => message.info.role === "user" && message.parts.some((part) => part.type === "text" && part.text.includes(`Mission ${missionId} SEALED and LANDED`))) ? data : undefined
    }, 60_000)
    const texts = messages.map((message) => ({ role: message.info.role, text: message.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n") }))
    // The first message is the user's goal, as typed; the last is the code's account, after the commander's reply.
    assert.equal(texts[0]!.role, "user")
    assert.equal(texts[0]!.text.trim(), goal)
    const last = texts.at(-1)!
    assert.equal(last.role, "user")
    assert.match(last.text, /SEALED and LANDED: 3 commit\(s\)/)
    assert.match(last.text, /Tasks approved: 3\/3/)
    assert.match(last.text, /Report: .*report\.md/)
    assert.equal(texts.at(-2)!.role, "assistant", "posted after the commander's reply, not into its turn")
  } finally {
    await host.stop()
  }
})
