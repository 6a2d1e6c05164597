#!/usr/bin/env node
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { parseScenario } from "./scenario.js"
import { startScriptedModel } from "./server.js"

const usage = `Usage: opencode-orchestrator-scripted-model --scenario FILE [--port N] [--log FILE]

Serves an OpenAI-compatible /v1/chat/completions on 127.0.0.1 that answers from a declarative
scenario (see docs/scripted-model.md). Point an OpenCode provider at the printed URL to test a
setup offline.`

const { values } = parseArgs({ options: { scenario: { type: "string" }, port: { type: "string" }, log: { type: "string" }, help: { type: "boolean" } } })
if (values.help || !values.scenario) {
  console.log(usage)
  process.exit(values.help ? 0 : 2)
}
const scenario = parseScenario(JSON.parse(readFileSync(values.scenario, "utf8")))
const server = await startScriptedModel({ scenario, port: values.port ? Number(values.port) : 0, logFile: values.log })
console.log(`scripted model listening on ${server.url}`)
const shutdown = () => void server.close().then(() => process.exit(0))
process.on("SIGINT", shutdown)
process.on("SIGTERM", shutdown)
