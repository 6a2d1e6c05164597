import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { call, plan, say, sources, sumStatsScenario } from "../../src/demo/sum-stats-scenario.js"
import { runHost } from "../../src/testing/run-host.js"
import { explain, missionFolder, sampleProject, sharedHome } from "./e2e-fixture.js"

// Issue 8: no secret reaches the journal, TODO.md, report.md or a prompt built from the mission's
// state: not the host's DATABASE_URL password (printed by a verification command), not a value
// from the copied .env, not the tokens a model writes itself.

test("secrets from the environment, the .env and the models never reach a mission file or a later prompt", async () => {
  const project = sampleProject()
  const dbPassword = "db-pw-4815162342"
  const envSecret = "envfile-value-0xdeadbeefcafe"
  const github = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
  const aws = "AKIA" + "ZZZZEXAMPLE00001"
  const slack = "xoxb-" + "210987654321-3210987654321-zyxwvutsrqponmlkjihgfedc"
  writeFileSync(path.join(project, ".env"), `STRIPE_SECRET=${envSecret}\nPORT=3000\n`)
  mkdirSync(path.join(project, ".opencode"), { recursive: true })
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), JSON.stringify({ verify: ["npm test", "echo \"db at $DATABASE_URL\""] }))
  const onlyA = { agent: "planner", replies: [call("submit_plan", { tasks: [plan[0]] }), say("Plan submitted.")] }
  const leaky = {
    agent: "worker",
    task: "A",
    replies: [
      call("write", { filePath: "src/sum.js", content: sources.sum }),
      call("write", { filePath: "test/sum.test.js", content: sources.sumTest }),
      call("submit_work", { summary: `sum written; tested against ${dbPassword}, keys ${github} ${aws}, .env had ${envSecret}, chat ${slack}` }),
      say("Submitted."),
    ],
  }
  const reviewer = { agent: "reviewer", replies: [call("submit_review", { verdict: "approve", findings: [{ message: `fine, but do not commit ${github}`, file: "src/sum.js" }] }), say("Approved.")] }
  const run = await runHost({
    project,
    home: sharedHome(),
    scenario: sumStatsScenario([onlyA, leaky, reviewer]),
    args: ["--command", "task", "add", "a", "sum"],
    timeoutMs: 150_000,
    env: { DATABASE_URL: `postgres://app:${dbPassword}@db.invalid:5432/app` },
  })
  assert.equal(run.exitCode, 0, explain(run))
  const folder = missionFolder(project)
  const files = ["journal.jsonl", "TODO.md", "report.md"].map((name) => [name, readFileSync(path.join(folder, name), "utf8")] as const)
  const journal = files[0]![1]
  assert.match(journal, /db at \[redacted DATABASE_URL\]/, "the verification output was recorded, redacted")
  assert.match(journal, /\[redacted (GitHub token|github)\]/)
  const laterPrompts = run.requests.filter((request) => request.agent === "reviewer" || request.agent === "master-reviewer").map((request) => JSON.stringify(request.messages))
  for (const secret of [dbPassword, envSecret, github, aws, slack]) {
    for (const [name, text] of files) assert.ok(!text.includes(secret), `${secret.slice(0, 8)}… is not in ${name}`)
    for (const prompt of laterPrompts) assert.ok(!prompt.includes(secret), `${secret.slice(0, 8)}… is not in a prompt built from the state`)
  }
})
