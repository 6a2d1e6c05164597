import { test } from "node:test"
import assert from "node:assert/strict"
import { createServer } from "../src/server.js"

test("the server lists and adds todos", async () => {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${server.address().port}/todos`
  try {
    await fetch(url, { method: "POST", body: JSON.stringify({ title: "one" }) })
    assert.deepEqual((await (await fetch(url)).json()).map((todo) => todo.title), ["one"])
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})
