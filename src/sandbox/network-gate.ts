// The sandbox's only way out when config allows some hosts (`sandboxNetwork`): an HTTP proxy on a
// unix socket, outside the sandbox, that opens connections to allowed hosts only. Inside, where
// there is no network but loopback, a bridge (proxy-bridge.ts) forwards 127.0.0.1:<port> to the
// socket, and HTTP_PROXY/HTTPS_PROXY point there.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http"
import { connect, type Socket } from "node:net"
import { rmSync } from "node:fs"

/** True when `host` is allowed: named exactly, or under a `*.domain` entry. */
export function hostAllowed(host: string, allowed: string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "").replace(/^\[(.*)\]$/, "$1")
  return allowed.some((entry) => {
    const rule = entry.toLowerCase()
    return rule.startsWith("*.") ? name.endsWith(rule.slice(1)) || name === rule.slice(2) : name === rule
  })
}

/** Host and port of a CONNECT target ("host:443", "[::1]:443"). */
export function connectTarget(target: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(target)
  const port = Number(match?.[2])
  return match && port > 0 && port < 65536 ? { host: match[1]!.replace(/^\[(.*)\]$/, "$1"), port } : undefined
}

export interface NetworkGate {
  socket: string
  /** Hosts refused so far (for the report). */
  refused: Set<string>
  close(): Promise<void>
}

/** Starts the proxy on the unix socket `socket`, letting through `allowed` hosts only. */
export async function openNetworkGate(socket: string, allowed: string[]): Promise<NetworkGate> {
  rmSync(socket, { force: true })
  const refused = new Set<string>()
  const open = new Set<Socket>()
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    // A plain HTTP request through the proxy: its target is an absolute URL.
    let url: URL
    try {
      url = new URL(incoming.url ?? "")
    } catch {
      outgoing.writeHead(400).end("a proxy request needs an absolute URL\n")
      return
    }
    if (url.protocol !== "http:" || !hostAllowed(url.hostname, allowed)) {
      refused.add(url.hostname)
      outgoing.writeHead(403).end(`the orchestrator's sandbox does not allow ${url.hostname}\n`)
      return
    }
    const upstream = httpRequest({ host: url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method: incoming.method, headers: incoming.headers }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers)
      response.pipe(outgoing)
    })
    upstream.on("error", () => outgoing.headersSent ? outgoing.destroy() : outgoing.writeHead(502).end())
    incoming.pipe(upstream)
  })
  server.on("connect", (incoming: IncomingMessage, client: Socket, head: Buffer) => {
    const target = connectTarget(incoming.url ?? "")
    if (!target || !hostAllowed(target.host, allowed)) {
      refused.add(target?.host ?? String(incoming.url))
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n")
      return
    }
    const upstream = connect(target.port, target.host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const end of [client, upstream]) {
      open.add(end)
      end.on("close", () => open.delete(end))
      end.on("error", () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(socket, () => resolve())
  })
  return {
    socket,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of open) end.destroy()
        server.close(() => resolve())
        server.closeAllConnections?.()
      }),
  }
}
