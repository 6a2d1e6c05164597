import { test } from "node:test"
import assert from "node:assert/strict"
import { parse } from "jsonc-parser"
import { addPluginEntry, ConfigEditError, isEmptyConfig, removePluginEntry } from "./plugin-entry-edit.js"
import { lineDiff } from "./line-diff.js"

const entry = "file:///opt/lib/node_modules/opencode-verified-orchestrator/dist/index.js"
const isOurs = (item: string) => item.includes("opencode-verified-orchestrator")

const shapes: Record<string, string> = {
  "no plugin list, with comments": `{\n  // my model\n  "model": "anthropic/claude", /* inline */\n  "theme": "dark"\n}\n`,
  "a list of the user's": `{\n  "plugin": [\n    "opencode-wakatime", // keep me\n    "./local.ts"\n  ],\n  "model": "x/y"\n}\n`,
  "an empty list": `{ "plugin": [], "model": "x/y" }\n`,
  "tabs and a trailing comma": `{\n\t"model": "x/y",\n\t"plugin": ["a"],\n}\n`,
  "CRLF line ends": `{\r\n  "model": "x/y"\r\n}\r\n`,
}

for (const [name, before] of Object.entries(shapes)) {
  test(`install then uninstall gives the file back byte for byte: ${name}`, () => {
    const added = addPluginEntry(before, entry, isOurs)
    assert.equal(added.changed, true)
    const config = parse(added.text) as { plugin: string[] }
    assert.equal(config.plugin.at(-1), entry)
    // Nothing of the user's moved or went: every earlier entry is still there, in its order.
    const theirs = ((parse(before) as { plugin?: string[] }).plugin ?? [])
    assert.deepEqual(config.plugin.slice(0, -1), theirs)
    for (const comment of before.match(/\/\/[^\n]*|\/\*.*?\*\//g) ?? []) assert.ok(added.text.includes(comment), comment)
    // Idempotent.
    assert.equal(addPluginEntry(added.text, entry, isOurs).changed, false)
    const removed = removePluginEntry(added.text, isOurs, { removeEmptyKey: added.addedKey })
    assert.equal(removed.text, before)
  })
}

test("an empty or missing file gets a new config with the plugin, and only that", () => {
  const added = addPluginEntry("", entry, isOurs)
  assert.deepEqual(parse(added.text), { $schema: "https://opencode.ai/config.json", plugin: [entry] })
  assert.ok(isEmptyConfig(removePluginEntry(added.text, isOurs, { removeEmptyKey: true }).text))
  assert.ok(!isEmptyConfig(`{ "model": "x/y" }`))
})

test("an older entry of ours is replaced where it stands, not added twice", () => {
  const before = `{ "plugin": ["a", "file:///old/opencode-verified-orchestrator/dist/index.js", "b"] }`
  const added = addPluginEntry(before, entry, isOurs)
  assert.deepEqual((parse(added.text) as { plugin: string[] }).plugin, ["a", entry, "b"])
})

test("uninstall leaves a list the user had, even when it ends up empty", () => {
  const before = `{ "plugin": ["${entry}"] }`
  assert.equal(removePluginEntry(before, isOurs, { removeEmptyKey: false }).text, `{ "plugin": [] }`)
})

test("a broken config or a plugin value that is not a list is refused, and nothing is written", () => {
  assert.throws(() => addPluginEntry(`{ "model": `, entry, isOurs, "opencode.json"), (error: unknown) => error instanceof ConfigEditError && /opencode\.json is not valid JSONC/.test(error.message))
  assert.throws(() => addPluginEntry(`{ "plugin": "a" }`, entry, isOurs), ConfigEditError)
  assert.throws(() => addPluginEntry(`[1]`, entry, isOurs), ConfigEditError)
})

test("the diff shows the changed lines with their context", () => {
  const diff = lineDiff(`{\n  "a": 1\n}\n`, `{\n  "a": 1,\n  "plugin": ["x"]\n}\n`)
  assert.equal(diff, `@@ line 1 @@\n  {\n-   "a": 1\n+   "a": 1,\n+   "plugin": ["x"]\n  }`)
  assert.equal(lineDiff("same", "same"), "")
})

test("every entry of ours goes, wherever it stands, and the user's stay in order", () => {
  const before = `{ "plugin": ["${entry}", "a", "file:///old/opencode-verified-orchestrator/dist/index.js", "b"] }`
  const removed = removePluginEntry(before, isOurs, { removeEmptyKey: true })
  assert.equal(removed.text, `{ "plugin": ["a", "b"] }`)
})
