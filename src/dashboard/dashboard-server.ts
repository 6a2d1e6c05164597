// `opencode-orchestrator dashboard`: a local web page of one mission, live from its journal.
// Bound to 127.0.0.1 on a port of the system's choosing; every request carries a random token,
// and a Host header other than ours is refused (no DNS rebinding). Updates go out as server-sent
// events; the page is one HTML file with its script, served from the package (no CDN, no build).
import { execFile } from "node:child_process"
import { randomBytes, timingSafeEqual } from "node:crypto"
import { existsSync, readFileSync, statSync } from "node:fs"
import http from "node:http"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { peekJournal } from "../store/mission-files.js"
import { missionsFolder } from "../mission/mission.js"
import { dashboardView, type DashboardView } from "./dashboard-view.js"

export interface Dashboard {
  url: string
  close(): Promise<void>
}

const readPage = () => readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "dashboard-page.html"), "utf8")

type Peeked = ReturnType<typeof peekJournal>

const viewOf = (peeked: Peeked): DashboardView | undefined => (peeked ? dashboardView(peeked.state, peeked.entries) : undefined)

/** The mission's whole change: its base against the last merged commit (or what landed), read in the user's repository (the mission's worktree is gone once it ends). */
function missionDiff(peeked: Peeked, directory: string): Promise<string> {
  const base = peeked?.state.workspace?.base
  const merged = [...(peeked?.entries ?? [])].reverse().find((entry) => entry.type === "merge-end" && entry.outcome === "merged" && entry.commit)
  const head = (merged && "commit" in merged ? merged.commit : undefined) ?? peeked?.state.closing?.landedCommits?.at(-1)
  if (!base || !head) return Promise.resolve("No merged change yet.\n")
  return new Promise((resolve) =>
    execFile("git", ["diff", "--stat", "--patch", base, head], { cwd: directory, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? `git diff failed: ${error.message}\n` : stdout || "No change.\n")),
  )
}

export async function serveDashboard(options: { directory: string; missionId: string; port?: number; pollMs?: number }): Promise<Dashboard> {
  const folder = path.join(options.directory, missionsFolder, options.missionId)
  const journal = path.join(folder, "journal.jsonl")
  const token = randomBytes(18).toString("base64url")
  const page = readPage()
  const clients = new Set<http.ServerResponse>()
  let port = 0
  let last = ""

  const authorized = (request: http.IncomingMessage, url: URL) => {
    const given = Buffer.from(url.searchParams.get("token") ?? "")
    const expected = Buffer.from(token)
    return request.headers.host === `127.0.0.1:${port}` && given.length === expected.length && timingSafeEqual(given, expected)
  }
  const send = (response: http.ServerResponse, status: number, type: string, body: string) => {
    response.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store", "x-content-type-options": "nosniff", "content-security-policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'" })
    response.end(body)
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1")
    if (!authorized(request, url)) return send(response, 403, "text/plain", "Forbidden: open the URL the dashboard printed.\n")
    if (url.pathname === "/") return send(response, 200, "text/html", page)
    if (url.pathname === "/view") return send(response, 200, "application/json", JSON.stringify(viewOf(peekJournal(options.directory, options.missionId)) ?? null))
    if (url.pathname === "/report") {
      const report = path.join(folder, "report.md")
      return existsSync(report) ? send(response, 200, "text/plain", readFileSync(report, "utf8")) : send(response, 404, "text/plain", "No report yet: it is written when the mission ends.\n")
    }
    if (url.pathname === "/diff") return void missionDiff(peekJournal(options.directory, options.missionId), options.directory).then((diff) => send(response, 200, "text/plain", diff), (error: Error) => send(response, 500, "text/plain", error.message))
    if (url.pathname === "/events") {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" })
      response.write(`retry: 1000\nevent: view\ndata: ${JSON.stringify(viewOf(peekJournal(options.directory, options.missionId)) ?? null)}\n\n`)
      clients.add(response)
      request.on("close", () => clients.delete(response))
      return
    }
    send(response, 404, "text/plain", "Not found.\n")
  })

  // The journal only grows: its size says when to fold it again.
  let size = -1
  const poll = setInterval(() => {
    let now = -1
    try {
      now = statSync(journal).size
    } catch {}
    if (now === size) return
    size = now
    const current = JSON.stringify(viewOf(peekJournal(options.directory, options.missionId)) ?? null)
    if (current === last) return
    last = current
    for (const client of clients) client.write(`event: view\ndata: ${current}\n\n`)
  }, options.pollMs ?? 250)

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      clearInterval(poll)
      for (const client of clients) client.end()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
