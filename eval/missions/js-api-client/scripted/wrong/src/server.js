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
    let body = ""
    for await (const chunk of request) body += chunk
    const title = JSON.parse(body || "{}").title ?? ""
    send(response, 200, store.add(String(title).trim()))
  })
}
