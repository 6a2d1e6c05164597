import { test } from "node:test"
import assert from "node:assert/strict"
import { settings } from "../src/server.js"

test("there are settings", () => {
  assert.equal(typeof settings.port, "number")
})
