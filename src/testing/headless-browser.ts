// Real headless Chromium for the dashboard's test, driven over the DevTools protocol on a pipe
// (`--remote-debugging-pipe`: JSON messages on fds 3 and 4, each ended by a NUL byte), so no
// WebSocket client or browser download is needed: Debian's `chromium` is enough.
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { Readable, Writable } from "node:stream"

export interface BrowserPage {
  /** The value of a page expression (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>
  screenshot(): Promise<Buffer>
}

export interface HeadlessBrowser {
  open(url: string, viewport?: { width: number; height: number }): Promise<BrowserPage>
  close(): Promise<void>
}

export function chromiumBinary(): string {
  return process.env.CHROMIUM_BIN ?? "chromium"
}

export async function launchBrowser(): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "orchestrator-chromium-"))
  const args = ["--headless=new", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions", "--disable-background-networking", `--user-data-dir=${profile}`]
  // As root (CI), Chromium's own sandbox cannot start; the page is ours and local.
  if (process.getuid?.() === 0) args.push("--no-sandbox")
  const child: ChildProcess = spawn(chromiumBinary(), [...args, "about:blank"], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] })
  let stderr = ""
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  const input = child.stdio[3] as Writable
  const output = child.stdio[4] as Readable
  let nextId = 1
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let buffer = ""
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8")
    let end: number
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number; result?: unknown; error?: { message: string } }
      buffer = buffer.slice(end + 1)
      const waiting = message.id === undefined ? undefined : pending.get(message.id)
      if (!waiting) continue
      pending.delete(message.id!)
      if (message.error) waiting.reject(new Error(message.error.message))
      else waiting.resolve(message.result)
    }
  })
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()))
  void exited.then(() => {
    for (const waiting of pending.values()) waiting.reject(new Error(`chromium exited:\n${stderr.slice(-2000)}`))
    pending.clear()
  })
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
    })
  await send("Browser.getVersion")
  return {
    async open(url, viewport = { width: 1280, height: 800 }) {
      const { targetId } = await send<{ targetId: string }>("Target.createTarget", { url: "about:blank" })
      const { sessionId } = await send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true })
      await send("Emulation.setDeviceMetricsOverride", { ...viewport, deviceScaleFactor: 1, mobile: false }, sessionId)
      await send("Page.enable", {}, sessionId)
      await send("Page.navigate", { url }, sessionId)
      return {
        async evaluate<T>(expression: string) {
          const result = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId)
          if (result.exceptionDetails) throw new Error(`page error: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`)
          return result.result.value as T
        },
        async screenshot() {
          const { data } = await send<{ data: string }>("Page.captureScreenshot", { format: "png", captureBeyondViewport: true }, sessionId)
          return Buffer.from(data, "base64")
        },
      }
    },
    async close() {
      await send("Browser.close").catch(() => {})
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
