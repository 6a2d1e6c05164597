import { test } from "node:test"
import assert from "node:assert/strict"
import { createServer } from "../src/server.js"
import { addTodo, listTodos } from "../src/client.js"

test("the client adds and lists", async () => {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  try {
    await addTodo(url, "one")
    assert.deepEqual((await listTodos(url)).map((todo) => todo.title), ["one"])
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})
