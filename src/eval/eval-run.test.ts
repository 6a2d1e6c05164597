import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import path from "node:path"
import type { LoggedRequest } from "../scripted-model/server.js"
import { loadEvalMissions } from "./eval-mission.js"
import { quotesHiddenTests } from "./eval-run.js"

const mission = loadEvalMissions(undefined, ["js-lru-cache"])[0]!
const requestWith = (content: unknown) => ({ messages: [{ role: "system", content: "You are a worker." }, { role: "tool", content }] }) as unknown as LoggedRequest

test("a request that quotes a hidden test is seen, as text or in content parts", () => {
  const hidden = readFileSync(path.join(mission.folder, "hidden", "lru.test.js"), "utf8")
  assert.equal(quotesHiddenTests(mission, { requests: [requestWith("package.json\nsrc/lru.js")] }), false)
  assert.equal(quotesHiddenTests(mission, { requests: [requestWith(hidden)] }), true)
  assert.equal(quotesHiddenTests(mission, { requests: [requestWith([{ type: "text", text: `cat says:\n${hidden}` }])] }), true)
})
