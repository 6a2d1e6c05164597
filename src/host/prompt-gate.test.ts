import { test } from "node:test"
import assert from "node:assert/strict"
import { readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { PromptGate } from "./prompt-gate.js"

test("a busy session gets nothing; an idle one gets the prompt", async () => {
  const gate = new PromptGate()
  gate.observe("s", "busy")
  let calls = 0
  assert.deepEqual(await gate.send("s", "continue", async () => ++calls), { sent: false, reason: "busy" })
  gate.observe("s", "idle")
  assert.deepEqual(await gate.send("s", "continue", async () => ++calls), { sent: true, value: 1 })
  assert.equal(calls, 1)
})

test("a second send while the first is in flight is refused; the same text again is a duplicate", async () => {
  const gate = new PromptGate()
  let release!: () => void
  const first = gate.send("s", "a", () => new Promise<string>((resolve) => (release = () => resolve("done"))))
  assert.deepEqual(await gate.send("s", "b", async () => "x"), { sent: false, reason: "busy" })
  assert.deepEqual(await gate.send("s", "a", async () => "x"), { sent: false, reason: "duplicate" })
  release()
  assert.deepEqual(await first, { sent: true, value: "done" })
  assert.deepEqual(await gate.send("s", "a", async () => "x"), { sent: false, reason: "duplicate" })
  assert.deepEqual(await gate.send("s", "b", async () => "y"), { sent: true, value: "y" })
})

test("waitIdle resolves on the idle event, or false at its timeout", async () => {
  const gate = new PromptGate()
  gate.observe("s", "busy")
  const waiting = gate.waitIdle("s", 5_000)
  gate.observe("s", "idle")
  assert.equal(await waiting, true)
  gate.observe("s", "busy")
  assert.equal(await gate.waitIdle("s", 20), false)
})

test("nothing in the plugin prompts a session except through the gate; the command line only its own sessions", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? files(full) : full.endsWith(".ts") && !full.endsWith(".test.ts") ? [full] : []
    })
  const offenders: string[] = []
  let gatedCalls = 0
  for (const file of files(root)) {
    const text = readFileSync(file, "utf8")
    const promptCalls = text.match(/\.session\.(prompt|promptAsync)\s*\(/g)?.length ?? 0
    if (promptCalls === 0) continue
    // The command line is a client of the host, as the user is: it prompts only sessions it made
    // itself, after their previous turn returned; never one of the user's or the engine's.
    const client = ["cli", "eval"].includes(path.relative(root, file).split(path.sep)[0]!)
    if (client) {
      assert.match(text, /\.session\.create\(/, `${path.relative(root, file)} prompts a session it did not make`)
      continue
    }
    if (path.basename(file) !== "opencode-host.ts") offenders.push(path.relative(root, file))
    else gatedCalls = promptCalls
    const sends = text.match(/this\.gate\.send\(/g)?.length ?? 0
    assert.ok(sends >= promptCalls, `${path.relative(root, file)}: ${promptCalls} prompt calls but ${sends} gate sends`)
  }
  assert.deepEqual(offenders, [])
  assert.ok(gatedCalls > 0, "the host adapter should contain the gated prompt calls")
})
