import { spawn } from "node:child_process"
import { startScriptedModel, type LoggedRequest } from "../scripted-model/server.js"
import type { Scenario } from "../scripted-model/scenario.js"
import { isolatedHostEnvironment, opencodeBinary } from "./host-environment.js"

export interface HostRun {
  exitCode: number | null
  output: string
  requests: LoggedRequest[]
  durationMs: number
  timedOut: boolean
}

export interface HostRunOptions {
  project: string
  home: string
  scenario: Scenario
  /** Arguments after `opencode run`, e.g. ["--command", "task", "add", "sums"]. */
  args: string[]
  timeoutMs?: number
  /** false: the plugin is not in the global config (a test loads it from the project's own). */
  withPlugin?: boolean
  onOutput?: (text: string) => void
  /** Polled every 50 ms: once true, the host's whole process group is killed with SIGKILL (a crash). */
  killWhen?: () => boolean
  /** The scripted model's context window in tokens (default 128,000): small, the host compacts sessions. */
  contextLimit?: number
  /** More environment for the host (a secret it holds, say). */
  env?: Record<string, string>
  /** The host's own file snapshots (its default; off unless asked: they are a git repository of their own). */
  snapshot?: boolean
}

/** Runs `opencode run` on a project against a fresh scripted model; never reads stdin. */
export async function runHost(options: HostRunOptions): Promise<HostRun> {
  const model = await startScriptedModel({ scenario: options.scenario })
  const env = { ...isolatedHostEnvironment({ home: options.home, modelUrl: model.url, withPlugin: options.withPlugin, contextLimit: options.contextLimit, snapshot: options.snapshot }), ...options.env }
  const started = Date.now()
  const child = spawn(opencodeBinary(), ["run", ...options.args], { cwd: options.project, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  let output = ""
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8")
    output += text
    options.onOutput?.(text)
  }
  child.stdout.on("data", collect)
  child.stderr.on("data", collect)
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    try {
      process.kill(-child.pid!, "SIGKILL")
    } catch {}
  }, options.timeoutMs ?? 120_000)
  const crash = setInterval(() => {
    if (!options.killWhen?.()) return
    clearInterval(crash)
    try {
      process.kill(-child.pid!, "SIGKILL")
    } catch {}
  }, 50)
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
  clearTimeout(timer)
  clearInterval(crash)
  await model.close()
  return { exitCode, output, requests: model.requests, durationMs: Date.now() - started, timedOut }
}
