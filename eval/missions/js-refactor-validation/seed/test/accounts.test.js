import { test } from "node:test"
import assert from "node:assert/strict"
import { signup } from "../src/signup.js"
import { invite } from "../src/invite.js"

test("signup takes a good address", () => {
  assert.deepEqual(signup(" Ann@Example.com ", "long enough"), { ok: true, user: { email: "ann@example.com" } })
})

test("signup refuses a bad address", () => {
  assert.equal(signup("no-at-sign", "long enough").ok, false)
})

test("invite sorts good and bad addresses", () => {
  const result = invite("ann", ["bob@example.org", "not an address"])
  assert.deepEqual(result.sent, [{ from: "ann", to: "bob@example.org" }])
  assert.deepEqual(result.rejected, ["not an address"])
})
