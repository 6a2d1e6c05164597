import { test } from "node:test"
import assert from "node:assert/strict"
import { slugify } from "../src/slug.js"
import { createPost } from "../src/posts.js"

test("words are lower case, joined by single dashes", () => {
  assert.equal(slugify("Hello World"), "hello-world")
  assert.equal(slugify("  Many   spaces -- and dashes  "), "many-spaces-and-dashes")
  assert.equal(slugify("Hello, World! 2024"), "hello-world-2024")
})

test("accents are dropped, not the letters", () => {
  assert.equal(slugify("Café crème"), "cafe-creme")
  assert.equal(slugify("Ångström über"), "angstrom-uber")
})

test("createPost sets the slug from the title", () => {
  assert.equal(createPost("Déjà Vu, Again").slug, "deja-vu-again")
})
