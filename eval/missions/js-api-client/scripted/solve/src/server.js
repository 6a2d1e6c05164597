import http from "node:http"
import { createStore } from "./store.js"

const send = (response, status, body) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(JSON.stringify(body))
}

export function createServer(store = createStore()) {
  return http.createServer(async (request, response) => {
    if (request.url !== "/todos") return send(response, 404, { error: "not found" })
    if (request.method === "GET") return send(response, 200, store.list())
    if (request.method !== "POST") return send(response, 405, { error: "method not allowed" })
    let body = ""
    for await (const chunk of request) body += chunk
    let title
    try {
      title = JSON.parse(body).title
    } catch {
      return send(response, 400, { error: "the body is not JSON" })
    }
    if (typeof title !== "string" || !title.trim()) return send(response, 400, { error: "a todo needs a title" })
    send(response, 201, store.add(title.trim()))
  })
}
