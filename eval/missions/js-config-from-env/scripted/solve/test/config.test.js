import { test } from "node:test"
import assert from "node:assert/strict"
import { loadConfig } from "../src/config.js"

test("loadConfig", () => {
  assert.deepEqual(loadConfig({}), { port: 3000, debug: false })
  assert.deepEqual(loadConfig({ PORT: "8080", DEBUG: "1" }), { port: 8080, debug: true })
})
