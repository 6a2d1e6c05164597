import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { gitSteps, stepFailure, stepPassed } from "./git.js"

function repository(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), "git-steps-"))
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: directory })
  writeFileSync(path.join(directory, "a.txt"), "a\n")
  return directory
}

const identity = ["-c", "user.name=t", "-c", "user.email=t@localhost"]

test("steps run in order in one process, each output its own; a message's quotes, dollars and lines reach git as written", async () => {
  const directory = repository()
  const message = `it's "quoted" $HOME \`id\` \\ and\nline two`
  const [add, commit, shown, files] = await gitSteps([{ args: ["add", "-A"] }, { args: [...identity, "commit", "-q", "-m", message] }, { args: ["log", "-1", "--format=%B"] }, { args: ["show", "--name-only", "--format=", "HEAD"] }], directory)
  assert.ok(add?.ran && add.ok && commit?.ran && commit.ok)
  assert.ok(stepPassed(add) && add.stdout === "")
  assert.equal(stepPassed(shown) && shown.stdout.trim(), message)
  assert.equal(stepPassed(files) && files.stdout.trim(), "a.txt")
})

test("a failing step stops the ones after it, unless it may fail; a fallback runs only after its step failed", async () => {
  const directory = repository()
  const results = await gitSteps(
    [
      { args: ["rev-parse", "--verify", "-q", "HEAD"], mayFail: true },
      { args: ["rev-parse", "--verify", "-q", "no-such-ref"] },
      { args: ["status", "--short"] },
    ],
    directory,
  )
  assert.deepEqual(
    results.map((result) => (result.ran ? (result.ok ? "ok" : "failed") : "skipped")),
    ["failed", "failed", "skipped"],
  )
  assert.deepEqual(stepFailure(results[2], "status"), { ok: false, error: "git status failed: not run" })

  execFileSync("git", ["add", "-A"], { cwd: directory })
  const [commit, nothingStaged, again, check] = await gitSteps(
    [
      { args: [...identity, "commit", "-q", "-m", "one"], mayFail: true },
      { args: ["diff", "--cached", "--quiet"], ifFailed: 0 },
      { args: [...identity, "commit", "-q", "-m", "two"], mayFail: true },
      { args: ["diff", "--cached", "--quiet"], ifFailed: 2 },
    ],
    directory,
  )
  assert.ok(commit?.ran && commit.ok)
  assert.equal(nothingStaged?.ran, false, "the first commit worked: its fallback did not run")
  assert.ok(again?.ran && !again.ok, "nothing left to commit")
  assert.ok(check?.ran && check.ok, "the fallback ran, and says nothing was staged")
  assert.match(stepFailure(again, "commit").error, /^git commit failed: /)
})
