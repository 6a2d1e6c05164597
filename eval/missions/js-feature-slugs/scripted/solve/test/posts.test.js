import { test } from "node:test"
import assert from "node:assert/strict"
import { createPost } from "../src/posts.js"

test("a post keeps its title and body", () => {
  const post = createPost("  Hello  ", "text")
  assert.equal(post.title, "Hello")
  assert.equal(post.body, "text")
})

test("a post needs a title", () => {
  assert.throws(() => createPost("   "))
})

test("a post has a slug from its title", () => {
  assert.equal(createPost("Hello World").slug, "hello-world")
})
