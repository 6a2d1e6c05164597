import { test } from "node:test"
import assert from "node:assert/strict"
import { createStore } from "../src/store.js"

test("the store keeps todos in order", () => {
  const store = createStore()
  store.add("one")
  store.add("two")
  assert.deepEqual(store.list().map((todo) => todo.title), ["one", "two"])
})
