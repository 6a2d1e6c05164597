import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { detectVerifyCommands, scanProject } from "./project-scan.js"

const project = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "scan-"))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), content)
  }
  return dir
}

test("npm test is detected only when package.json has a real test script", () => {
  assert.deepEqual(detectVerifyCommands(project({ "package.json": '{"scripts":{"test":"node --test"}}' })), ["npm test"])
  assert.deepEqual(detectVerifyCommands(project({ "package.json": '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' })), [])
  assert.deepEqual(detectVerifyCommands(project({ "package.json": "{}" })), [])
  assert.deepEqual(detectVerifyCommands(project({ "README.md": "" })), [])
  assert.deepEqual(detectVerifyCommands(project({ "Cargo.toml": "" })), ["cargo test"])
})

test("the scan lists the stack and the top level, without noise folders", () => {
  const dir = project({ "package.json": '{"scripts":{"test":"node --test"}}', "tsconfig.json": "{}", "src/a.ts": "", "node_modules/x/y": "", ".git/HEAD": "" })
  assert.deepEqual(scanProject(dir), { stack: ["node", "typescript"], verifyCommands: ["npm test"], layout: ["package.json", "src/", "tsconfig.json"] })
})
