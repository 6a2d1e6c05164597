async function call(url, init) {
  const response = await fetch(url, init)
  const body = await response.json()
  if (!response.ok) throw new Error(`${response.status}: ${body.error ?? "refused"}`)
  return body
}

export function listTodos(baseUrl) {
  return call(`${baseUrl}/todos`)
}

export function addTodo(baseUrl, title) {
  return call(`${baseUrl}/todos`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title }) })
}
