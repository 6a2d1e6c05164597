import { test } from "node:test"
import assert from "node:assert/strict"
import { createServer } from "../src/server.js"
import { addTodo, listTodos } from "../src/client.js"

async function withServer(run) {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
  try {
    await run(`http://127.0.0.1:${server.address().port}`)
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

test("the client adds and lists through the server", () =>
  withServer(async (url) => {
    assert.deepEqual(await listTodos(url), [])
    const added = await addTodo(url, "write tests")
    assert.equal(added.title, "write tests")
    assert.equal(added.done, false)
    assert.deepEqual((await listTodos(url)).map((todo) => todo.title), ["write tests"])
  }))

test("a todo without a title is refused with 400, and the client throws", () =>
  withServer(async (url) => {
    const response = await fetch(`${url}/todos`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "  " }) })
    assert.equal(response.status, 400)
    await assert.rejects(addTodo(url, ""))
    assert.deepEqual(await listTodos(url), [])
  }))

test("POST answers 201", () =>
  withServer(async (url) => {
    const response = await fetch(`${url}/todos`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "x" }) })
    assert.equal(response.status, 201)
  }))
