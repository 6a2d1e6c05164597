import { test } from "node:test"
import assert from "node:assert/strict"
import { Redactor } from "./redact.js"

test("secret-looking variables are redacted by name or by shape, raw and JSON-escaped; ordinary ones are kept", () => {
  const redactor = new Redactor({
    MY_API_KEY: "abc123-secret-value",
    GH: "ghp_0123456789abcdefghij",
    QUOTED_TOKEN: 'with"quote\\and-backslash',
    PATH: "/usr/bin:/bin",
    SHORT_KEY: "1",
    HOME: "/home/me",
  })
  const text = `key abc123-secret-value gh ghp_0123456789abcdefghij path /usr/bin:/bin home /home/me short 1`
  assert.equal(redactor.redact(text), "key [redacted MY_API_KEY] gh [redacted GH] path /usr/bin:/bin home /home/me short 1")
  assert.equal(redactor.redact(JSON.stringify({ output: 'x with"quote\\and-backslash y' })), JSON.stringify({ output: "x [redacted QUOTED_TOKEN] y" }))
})
