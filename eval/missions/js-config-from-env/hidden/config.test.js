import { test } from "node:test"
import assert from "node:assert/strict"
import { loadConfig } from "../src/config.js"
import { parsePort } from "../src/port.js"
import { parseFlag } from "../src/flag.js"

test("defaults", () => {
  assert.deepEqual(loadConfig({}), { port: 3000, debug: false })
})

test("ports are whole numbers from 1 to 65535", () => {
  assert.equal(parsePort("8080"), 8080)
  assert.equal(parsePort("65535"), 65535)
  for (const text of ["0", "65536", "80abc", "8.5", "-1", "", "abc"]) assert.throws(() => parsePort(text), undefined, JSON.stringify(text))
})

test("flags", () => {
  for (const text of ["true", "TRUE", "1", "yes", "Yes"]) assert.equal(parseFlag(text), true, text)
  for (const text of ["false", "0", "no", "NO", ""]) assert.equal(parseFlag(text), false, text)
  assert.throws(() => parseFlag("maybe"))
})

test("loadConfig reads PORT and DEBUG", () => {
  assert.deepEqual(loadConfig({ PORT: "8080", DEBUG: "yes" }), { port: 8080, debug: true })
  assert.throws(() => loadConfig({ PORT: "80abc" }))
})
