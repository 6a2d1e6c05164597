import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdtempSync } from "node:fs"
import { createServer, request } from "node:http"
import { connect, type AddressInfo } from "node:net"
import os from "node:os"
import path from "node:path"
import { connectTarget, hostAllowed, openNetworkGate } from "./network-gate.js"

test("hosts are allowed by name or by *.domain, nothing else", () => {
  assert.ok(hostAllowed("registry.npmjs.org", ["registry.npmjs.org"]))
  assert.ok(hostAllowed("Registry.NPMJS.org.", ["registry.npmjs.org"]))
  assert.ok(hostAllowed("files.pythonhosted.org", ["*.pythonhosted.org"]))
  assert.ok(hostAllowed("pythonhosted.org", ["*.pythonhosted.org"]))
  assert.equal(hostAllowed("evilpythonhosted.org", ["*.pythonhosted.org"]), false)
  assert.equal(hostAllowed("registry.npmjs.org.evil.test", ["registry.npmjs.org"]), false)
  assert.equal(hostAllowed("127.0.0.1", []), false)
  assert.deepEqual(connectTarget("[::1]:443"), { host: "::1", port: 443 })
  assert.equal(connectTarget("host:99999"), undefined)
})

/** A CONNECT through the gate's socket: the status line it answers. */
function connectThrough(socket: string, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = connect(socket, () => client.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`))
    client.once("data", (data) => {
      resolve(data.toString("utf8").split("\r\n")[0]!)
      client.destroy()
    })
    client.on("error", reject)
  })
}

test("the gate connects allowed hosts and refuses the others, for CONNECT and plain HTTP", async () => {
  const hits: string[] = []
  const upstream = createServer((incoming, outgoing) => {
    hits.push(incoming.url ?? "")
    outgoing.end("hello")
  })
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve))
  const port = (upstream.address() as AddressInfo).port
  const socket = path.join(mkdtempSync(path.join(os.tmpdir(), "gate-")), "gate.sock")
  const gate = await openNetworkGate(socket, ["localhost"])
  try {
    assert.match(await connectThrough(socket, `localhost:${port}`), /^HTTP\/1.1 200/)
    assert.match(await connectThrough(socket, `127.0.0.1:${port}`), /^HTTP\/1.1 403/)
    const plain = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const sent = request({ socketPath: socket, path: `http://${host}:${port}/x`, headers: { host } }, (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        })
        sent.on("error", reject)
        sent.end()
      })
    assert.equal(await plain("localhost"), 200)
    assert.equal(await plain("127.0.0.1"), 403)
    assert.deepEqual(hits, ["/x"])
    assert.deepEqual([...gate.refused], ["127.0.0.1"])
  } finally {
    await gate.close()
    upstream.close()
  }
})
