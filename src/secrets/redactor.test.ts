import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { dotenvValues, learnFileSecrets } from "./env-files.js"
import { Redactor } from "./redactor.js"
import { scanSecrets } from "./secret-scan.js"

test("secret-looking variables are redacted by name or by shape, raw and JSON-escaped; ordinary ones are kept", () => {
  const redactor = new Redactor({
    MY_API_KEY: "abc123-secret-value",
    GH: "ghp_0123456789abcdefghij",
    QUOTED_TOKEN: 'with"quote\\and-backslash',
    PATH: "/usr/bin:/bin",
    SHORT_KEY: "1",
    HOME: "/home/me",
    PWD: "/home/me/project",
  })
  const text = `key abc123-secret-value gh ghp_0123456789abcdefghij path /usr/bin:/bin home /home/me short 1 in /home/me/project`
  assert.equal(redactor.redact(text), "key [redacted MY_API_KEY] gh [redacted GH] path /usr/bin:/bin home /home/me short 1 in /home/me/project")
  assert.equal(redactor.redact(JSON.stringify({ output: 'x with"quote\\and-backslash y' })), JSON.stringify({ output: "x [redacted QUOTED_TOKEN] y" }))
})

test("the variables that leaked before are secrets now: passwords in URLs, DSNs, webhooks, short passwords", () => {
  const env = {
    DATABASE_URL: "postgres://app:s3cr3t-pw@db.internal:5432/app",
    MYSQL_PWD: "hunter22",
    DB_PASS: "pa55w",
    SENTRY_DSN: "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42",
    SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
    HOMEPAGE_URL: "https://example.invalid/docs",
  }
  const redactor = new Redactor(env)
  const text = Object.values(env).join(" | ")
  const redacted = redactor.redact(text)
  for (const [name, value] of Object.entries(env)) {
    if (name === "HOMEPAGE_URL") assert.ok(redacted.includes(value), "a URL without a password is kept")
    else assert.ok(!redacted.includes(value), `${name} is redacted: ${redacted}`)
  }
  assert.ok(!redacted.includes("s3cr3t-pw") && !redacted.includes("hunter22") && !redacted.includes("pa55w"))
  assert.equal(redactor.redact("logged in with s3cr3t-pw"), "logged in with [redacted DATABASE_URL password]", "a URL's password alone too")
})

test("encoded copies of a known value are redacted: base64 at any offset, hex, URL-encoded, split across lines", () => {
  const value = "Tr0ub4dor&3-horse+battery/staple"
  const redactor = new Redactor({ API_TOKEN: value })
  const copies = [
    Buffer.from(value).toString("base64"),
    Buffer.from(`user:${value}`).toString("base64"),
    Buffer.from(`ab${value}cd`).toString("base64url"),
    Buffer.from(value).toString("hex"),
    encodeURIComponent(value),
    `${value.slice(0, 10)}\n${value.slice(10, 20)}\n  ${value.slice(20)}`,
  ]
  for (const copy of copies) {
    const redacted = redactor.redact(`before ${copy} after`)
    assert.match(redacted, /\[redacted API_TOKEN\]/, copy)
    assert.ok(!redacted.includes(value.slice(4, 20)), `${copy} → ${redacted}`)
  }
})

test("secrets a model writes itself are redacted by their shape", () => {
  const redactor = new Redactor({})
  const secrets = [
    "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnop",
    "AKIA" + "IOSFODNN7EXAMPLE",
    "sk-" + "proj-abcdefghijklmnopqrstuvwx0123",
    "xoxb-" + "123456789012-1234567890123-abcdefghij",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
  ]
  for (const secret of secrets) {
    const redacted = redactor.redact(`the key is ${secret} ok`)
    assert.ok(!redacted.includes(secret.slice(0, 14)) || secret.startsWith("-----"), `${secret} → ${redacted}`)
    assert.match(redacted, /\[redacted [^\]]+\]/)
    assert.ok(!redacted.includes("b3BlbnNzaC1rZXkt"), redacted)
  }
})

test("a secret ending in a backslash, or one inside keys and nested values, never breaks an event", () => {
  const redactor = new Redactor({ WEIRD_SECRET: "ends-with-backslash\\" })
  const event = { type: "work-submit", summary: "used ends-with-backslash\\ here", nested: [{ "ends-with-backslash\\": "x" }] }
  const redacted = redactor.redactDeep(event)
  assert.equal(redacted.summary, "used [redacted WEIRD_SECRET] here")
  assert.deepEqual(Object.keys(redacted.nested[0]!), ["[redacted WEIRD_SECRET]"])
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(redacted)))
})

test("the values of a copied .env are learned: secret keys and long values; short ordinary ones stay", () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "env-files-"))
  writeFileSync(path.join(directory, ".env"), "# local\nexport API_KEY='k-123'\nPORT=3000\nNODE_ENV=development\nSESSION_STORE=redis-cluster-01.internal.example\nEMPTY=\n")
  assert.deepEqual(dotenvValues("A=1\nexport B=\"two words\"\nC=x # note\n"), [["A", "1"], ["B", "two words"], ["C", "x"]])
  const redactor = new Redactor({})
  learnFileSecrets(redactor, directory, [".env", "config.json"])
  assert.equal(redactor.redact("k-123 on 3000 in development via redis-cluster-01.internal.example"), "[redacted API_KEY from .env] on 3000 in development via [redacted SESSION_STORE from .env]")
})

test("secretlint's recommended rules find what a model wrote, for the redactor to learn", async () => {
  const found = await scanSecrets(["deploy with xoxb-" + "123456789012-1234567890123-abcdefghijklmnopqrstuvwx please"])
  assert.ok(found.some((item) => item.value.startsWith("xoxb-") && item.rule === "slack"), JSON.stringify(found))
  assert.deepEqual(await scanSecrets(["nothing secret here", ""]), [])
})
