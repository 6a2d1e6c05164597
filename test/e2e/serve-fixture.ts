import { spawn, type ChildProcess } from "node:child_process"
import { createOpencodeClient } from "@opencode-ai/sdk"
import { startScriptedModel, type ScriptedModelServer } from "../../src/scripted-model/server.js"
import type { Scenario } from "../../src/scripted-model/scenario.js"
import { isolatedHostEnvironment, opencodeBinary } from "../../src/testing/host-environment.js"
import { sharedHome } from "./e2e-fixture.js"

export interface ServedHost {
  client: ReturnType<typeof createOpencodeClient>
  model: ScriptedModelServer
  output: () => string
  stop(): Promise<void>
}

/** `opencode serve` on a project, as the TUI and IDEs use it, with the scripted model. */
export async function serveHost(project: string, scenario: Scenario): Promise<ServedHost> {
  const model = await startScriptedModel({ scenario })
  const env = isolatedHostEnvironment({ home: sharedHome(), modelUrl: model.url })
  const child: ChildProcess = spawn(opencodeBinary(), ["serve", "--hostname", "127.0.0.1", "--port", "0"], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  let output = ""
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`opencode serve did not start:\n${output}`)), 60_000)
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
    child.on("exit", () => reject(new Error(`opencode serve exited:\n${output}`)))
  })
  return {
    client: createOpencodeClient({ baseUrl: url, directory: project }),
    model,
    output: () => output,
    async stop() {
      try {
        process.kill(-child.pid!, "SIGKILL")
      } catch {}
      await model.close()
    },
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await probe()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}
