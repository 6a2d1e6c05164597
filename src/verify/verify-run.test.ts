import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import os from "node:os"
import { runBounded, runCommand, runVerification } from "./verify-run.js"

test("exit codes and output are recorded as evidence", async () => {
  const [pass, fail] = await runVerification(["echo hello", "echo oops >&2; exit 3"], os.tmpdir(), 10_000)
  assert.equal(pass!.exitCode, 0)
  assert.equal(pass!.outputHead, "hello\n")
  assert.equal(fail!.exitCode, 3)
  assert.equal(fail!.outputHead, "oops\n")
  assert.equal(fail!.timedOut, false)
})

test("long output keeps its head and its tail", async () => {
  const evidence = await runCommand("seq 1 20000", os.tmpdir(), 10_000)
  assert.ok(evidence.outputHead.startsWith("1\n2\n3\n"))
  assert.ok(evidence.outputTail.endsWith("19999\n20000\n"))
  assert.ok(evidence.outputHead.length <= 4000 && evidence.outputTail.length <= 4000)
})

test("a command that never exits is killed with its whole process group", async () => {
  const marker = `verify-orphan-${process.pid}-${Date.now()}`
  const evidence = await runCommand(`sh -c 'sleep 300; echo ${marker}' & sleep 300`, os.tmpdir(), 500)
  assert.equal(evidence.timedOut, true)
  assert.equal(evidence.exitCode, null)
  await new Promise((resolve) => setTimeout(resolve, 200))
  const table = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
  assert.equal(table.includes(marker), false, "a child of the timed-out command survived")
})

test("a command spawn refuses (a NUL byte) is evidence that failed, not a throw", async () => {
  const evidence = await runCommand("echo a\u0000b", os.tmpdir(), 10_000)
  assert.equal(evidence.exitCode, null)
  assert.match(evidence.outputHead, /could not be started/)
})

test("a command does not inherit a test runner's context (a node --test it runs would skip its files)", async () => {
  // This file runs under node --test, which sets NODE_TEST_CONTEXT for it.
  assert.ok(process.env.NODE_TEST_CONTEXT, "expected to run under node --test")
  const run = await runBounded('echo "context=${NODE_TEST_CONTEXT:-none}"', { cwd: process.cwd(), timeoutMs: 10_000 })
  assert.equal(run.head.trim(), "context=none")
})
