// OpenCode as a real server (`opencode serve` on 127.0.0.1, a port of its choosing) and the SDK's
// client for it: how the CLI drives a mission, as the TUI and IDEs drive the host.
import { spawn, type ChildProcess } from "node:child_process"
import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/client"

export interface ServedHost {
  url: string
  /** The server's process id (to read its CPU time in a benchmark). */
  pid?: number
  client: OpencodeClient
  /** Everything the server printed so far (for errors). */
  output(): string
  /** Resolves when the server process has exited. */
  exited: Promise<number | null>
  stop(): Promise<void>
}

/** The `opencode` binary: `--opencode`, then `OPENCODE_BIN`, then the one on PATH. */
export function opencodeCommand(flag?: string, env: Record<string, string | undefined> = process.env): string {
  return flag || env.OPENCODE_BIN || "opencode"
}

export class HostStartError extends Error {
  readonly name = "HostStartError"
}

export async function startServedHost(options: { binary: string; directory: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ServedHost> {
  const child: ChildProcess = spawn(options.binary, ["serve", "--hostname", "127.0.0.1", "--port", "0"], {
    cwd: options.directory,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  })
  let output = ""
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {}
  }
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new HostStartError(`opencode serve did not start within ${(options.timeoutMs ?? 60_000) / 1000} s:\n${output.slice(-2000)}`)), options.timeoutMs ?? 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      const match = output.match(/listening on (http:\/\/\S+)/)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("error", (error) => {
      clearTimeout(timer)
      reject(new HostStartError(`could not run ${options.binary}: ${error.message}`))
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new HostStartError(`opencode serve exited (${code}):\n${output.slice(-2000)}`))
    })
  }).catch((error: unknown) => {
    kill("SIGKILL")
    throw error
  })
  return {
    url,
    pid: child.pid,
    client: createOpencodeClient({ baseUrl: url, directory: options.directory }),
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      kill("SIGTERM")
      const timer = setTimeout(() => kill("SIGKILL"), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
