import { test } from "node:test"
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { isEmail } from "../src/validate.js"
import { signup } from "../src/signup.js"
import { invite } from "../src/invite.js"

test("isEmail accepts what the old checks accepted", () => {
  for (const address of ["a@b.co", " Ann@Example.com ", "x.y+z@mail.example.org"]) assert.equal(isEmail(address), true, address)
})

test("isEmail refuses what the old checks refused", () => {
  for (const address of ["", "@b.co", "a@b", "a@@b.co", "a@b..co", "a b@c.co", "a@.co", "a@b.co."]) assert.equal(isEmail(address), false, address)
})

test("signup and invite still behave the same", () => {
  assert.equal(signup("a@b", "long enough").ok, false)
  assert.deepEqual(invite("ann", ["a@b", "c@d.io"]).rejected, ["a@b"])
})

test("both use the shared check, and no copy is left", () => {
  for (const file of ["signup.js", "invite.js"]) {
    const source = readFileSync(new URL(`../src/${file}`, import.meta.url), "utf8")
    assert.match(source, /from "\.\/validate\.js"/, file)
    assert.doesNotMatch(source, /lastIndexOf\("@"\)/, file)
  }
})
