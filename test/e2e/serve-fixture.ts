import type { OpencodeClient } from "@opencode-ai/sdk/client"
import { startServedHost } from "../../src/cli/served-host.js"
import { startScriptedModel, type ScriptedModelServer } from "../../src/scripted-model/server.js"
import type { Scenario } from "../../src/scripted-model/scenario.js"
import { isolatedHostEnvironment, opencodeBinary } from "../../src/testing/host-environment.js"
import { sharedHome } from "./e2e-fixture.js"

export interface ServedHost {
  client: OpencodeClient
  model: ScriptedModelServer
  output: () => string
  stop(): Promise<void>
}

/** `opencode serve` on a project, as the TUI and IDEs use it, with the scripted model. */
export async function serveHost(project: string, scenario: Scenario): Promise<ServedHost> {
  const model = await startScriptedModel({ scenario })
  const env = isolatedHostEnvironment({ home: sharedHome(), modelUrl: model.url })
  const served = await startServedHost({ binary: opencodeBinary(), directory: project, env }).catch(async (error: unknown) => {
    await model.close()
    throw error
  })
  return {
    client: served.client,
    model,
    output: served.output,
    async stop() {
      await served.stop()
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
