import { test } from "node:test"
import assert from "node:assert/strict"
import type { ToolContext } from "@opencode-ai/plugin/tool"
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { MissionRegistry } from "../mission/mission-registry.js"
import { runBounded } from "../verify/verify-run.js"
import { shellResult, shellTool } from "./shell-tool.js"

const cwd = mkdtempSync(path.join(os.tmpdir(), "shell-tool-"))

test("a command's result names how it ended, then its output", async () => {
  assert.match(shellResult(await runBounded("echo out; echo err >&2; exit 3", { cwd, timeoutMs: 10_000 })), /^exit 3 · \d+\.\d s\nout\nerr$/)
  assert.match(shellResult(await runBounded("true", { cwd, timeoutMs: 10_000 })), /^exit 0 · \d+\.\d s · no output$/)
})

test("a long output keeps both ends and names the cut; a short one is whole, never repeated", async () => {
  const long = shellResult(await runBounded("seq 1 20000", { cwd, timeoutMs: 10_000, keep: 100 }), 100)
  assert.match(long, /^exit 0 · [\d.]+ s\n1\n2\n3\n/)
  assert.match(long, /\n20000$/)
  const total = Array.from({ length: 20000 }, (_, index) => `${index + 1}\n`).join("").length
  assert.match(long, new RegExp(`\\[… ${total - 200} characters cut …\\]`))
  // Between one and two `keep`s: head and the rest, each line once.
  const middle = shellResult(await runBounded("seq 1 40", { cwd, timeoutMs: 10_000, keep: 60 }), 60)
  assert.deepEqual(middle.split("\n").slice(1), Array.from({ length: 40 }, (_, index) => String(index + 1)))
})

test("a timeout or an abort kills the command with every process it started", async () => {
  const marker = `sleep 31.${process.pid}`
  const timedOut = await runBounded(`${marker} & ${marker}`, { cwd, timeoutMs: 300 })
  assert.match(shellResult(timedOut), /^timed out \(killed\)/)
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 300)
  const aborted = await runBounded(`${marker}`, { cwd, timeoutMs: 60_000, signal: controller.signal })
  assert.equal(aborted.exitCode, null)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const { execFileSync } = await import("node:child_process")
  assert.throws(() => execFileSync("pgrep", ["-f", marker]), "no process is left")
})

test("only a mission's worker may run commands", async () => {
  const shell = shellTool(new MissionRegistry())
  await assert.rejects(shell.execute({ command: "true" }, { sessionID: "ses_stranger", abort: new AbortController().signal } as ToolContext), /only an orchestrator worker session may call shell/)
})
