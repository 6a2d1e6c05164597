import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { homeSecrets } from "./home-secrets.js"

test("the secret-looking paths that exist in a home are found; ordinary ones are not", () => {
  const home = mkdtempSync(path.join(os.tmpdir(), "home-secrets-"))
  for (const folder of [".ssh", ".aws", ".config/gh", ".local/share/opencode", "projects"]) mkdirSync(path.join(home, folder), { recursive: true })
  for (const file of [".netrc", ".npmrc", "github-token.txt", "deploy.pem", ".bashrc", "notes.md"]) writeFileSync(path.join(home, file), "x")
  const found = homeSecrets(home)
  const names = (list: string[]) => list.map((file) => path.relative(home, file)).sort()
  assert.deepEqual(names(found.folders), [".aws", ".config/gh", ".local/share/opencode", ".ssh"])
  assert.deepEqual(names(found.files), [".netrc", ".npmrc", "deploy.pem", "github-token.txt"])
  assert.deepEqual(homeSecrets("/"), { folders: [], files: [] })
  const data = mkdtempSync(path.join(os.tmpdir(), "xdg-data-"))
  mkdirSync(path.join(data, "opencode"))
  assert.ok(homeSecrets(home, { XDG_DATA_HOME: data }).folders.includes(path.join(data, "opencode")), "the host's auth.json folder, wherever XDG puts it")
})
