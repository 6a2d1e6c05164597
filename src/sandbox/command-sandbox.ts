import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { bwrapArguments, shellQuote } from "./bwrap-arguments.js"
import { homeSecrets } from "./home-secrets.js"
import type { SandboxProbe } from "./sandbox-probe.js"
import { openNetworkGate, type NetworkGate } from "./network-gate.js"
import { fileURLToPath } from "node:url"
import { createHash } from "node:crypto"

/** The environment variable that names a bash call's launcher (set through the host's shell.env). */
export const sandboxVariable = "ORCHESTRATOR_SANDBOX"

/** The port the bridge listens on inside a sandbox (its own network namespace: nothing else there). */
const bridgePort = 3128

/** `sandbox` in the config: whether a mission may run where no OS sandbox can be had. */
export type SandboxMode = "required" | "auto" | "off"

/** What a mission's sandbox is (the `sandbox-open` event): recorded when it opens, shown before the work and in the report. */
export interface SandboxOpening {
  kind: "bwrap" | "none"
  /** Why there is none. */
  reason?: string
  /** How its process count is bounded. */
  pids?: "cgroup" | "ulimit" | "none"
  /** Workers' commands keep the network (workerWeb). */
  network?: boolean
  /** Otherwise the only hosts they reach (`sandboxNetwork`), through the network gate. */
  hosts?: string[]
  /** Why the allowed hosts cannot be reached (no node inside, no bash). */
  hostsUnavailable?: string
}

/** Processes one sandbox (one task, or the mission's own commands) may have at once: a fork bomb stops there. */
export const sandboxPidsMax = 1024

export interface SandboxRequest {
  /** The folder the command may write (its worktree, or the user's checkout in a shared tree). */
  directory: string
  /** Whose sandbox: a task id, or "mission"; each has its own temp dir and process limit. */
  key: string
  /** Keep the host's network. */
  network: boolean
  /** True when `directory` is the user's own checkout: the host's config and the mission's files in it stay read-only. */
  userCheckout?: boolean
  cwd?: string
}

/** Paths in a writable folder that a sandboxed command must not change: git's, and the host's and ours in the user's checkout. */
function protectedPaths(request: SandboxRequest): string[] {
  const names = request.userCheckout ? [".git", ".opencode", "opencode.json", "opencode.jsonc"] : [".git"]
  return names.map((name) => path.join(request.directory, name)).filter((file) => existsSync(file))
}

/**
 * A mission's command sandbox. `wrap` turns a shell command into one that runs it under
 * bubblewrap (or returns it as it is, when the mission runs without a sandbox); `close` ends
 * what is left of its processes and removes its temp dirs and cgroups.
 */
export class CommandSandbox {
  readonly opening: SandboxOpening
  private readonly temps: string
  private readonly groups = new Set<string>()

  private gate?: NetworkGate
  /** What starts the bridge to the gate inside a sandbox (set once the gate is open). */
  private bridge = ""

  constructor(
    private readonly probe: SandboxProbe | undefined,
    readonly missionId: string,
    network: boolean,
    hosts: string[] = [],
  ) {
    this.opening = probe?.available
      ? { kind: "bwrap", pids: probe.pids.kind, network, ...(hosts.length && !network ? { hosts } : {}) }
      : { kind: "none", reason: probe ? probe.reason : 'turned off ("sandbox": "off")' }
    this.temps = path.join(os.tmpdir(), "opencode-orchestrator-sandbox", missionId)
  }

  /** Starts the network gate when some hosts are allowed; without node or bash inside, says why they stay unreachable. */
  async open(): Promise<void> {
    const probe = this.probe
    if (!probe?.available || !this.opening.hosts || this.gate) return
    const bridge = fileURLToPath(new URL("./proxy-bridge.js", import.meta.url))
    const missing = !probe.node ? "node is not on PATH" : probe.shell !== "/bin/bash" ? "there is no /bin/bash" : !existsSync(bridge) ? "the proxy bridge is not built" : undefined
    if (missing) {
      this.opening.hostsUnavailable = `${missing}: no host is reachable`
      return
    }
    mkdirSync(path.join(this.temps, "+gate"), { recursive: true })
    this.gate = await openNetworkGate(path.join(this.temps, "+gate", "gate.sock"), this.opening.hosts)
    this.bridge = `${shellQuote(probe.node!)} ${shellQuote(bridge)} ${shellQuote(this.gate.socket)} ${bridgePort} &\nfor _ in {1..200}; do (exec 3<>/dev/tcp/127.0.0.1/${bridgePort}) 2>/dev/null && break; sleep 0.02; done\n`
  }

  get active(): boolean {
    return this.opening.kind === "bwrap"
  }

  /** The command line that runs `command` in the sandbox `request` describes (for `sh -c`): its launcher, then the command. */
  wrap(command: string, request: SandboxRequest): string {
    const launcher = this.launcher(request)
    return launcher ? `exec ${shellQuote(launcher)} ${shellQuote(command)}` : command
  }

  /**
   * A script that runs its one argument, a command line, in the sandbox `request` describes, so
   * that the line a model sees stays short (the host keeps a tool call's arguments in the
   * conversation, and sends them back in every request). Launchers live where no sandbox can
   * write ("+" never appears in a key): a changed one would run outside. Undefined without a sandbox.
   */
  launcher(request: SandboxRequest): string | undefined {
    const probe = this.probe
    if (!probe?.available) return undefined
    const key = request.key.replace(/[^\w.-]/g, "_")
    const temp = path.join(this.temps, key)
    mkdirSync(path.join(temp, "cache"), { recursive: true })
    const secrets = homeSecrets(os.homedir(), process.env)
    const gated = !request.network && this.gate !== undefined
    const proxy = `http://127.0.0.1:${bridgePort}`
    const launchers = path.join(this.temps, "+launchers")
    mkdirSync(launchers, { recursive: true })
    // Inside, the same name runs a command as it is: a model that copies the wrapper from its history nests nothing.
    const passthrough = path.join(launchers, "passthrough")
    if (!existsSync(passthrough)) writeFileSync(passthrough, `#!/bin/sh\nexec ${shellQuote(probe.shell)} -c "$1"\n`, { mode: 0o755 })
    const args = bwrapArguments({
      writable: gated ? [request.directory, temp, path.dirname(this.gate!.socket)] : [request.directory, temp],
      readOnly: protectedPaths(request),
      hiddenFolders: secrets.folders,
      hiddenFiles: secrets.files,
      temp,
      network: request.network,
      cwd: request.cwd,
      env: {
        [sandboxVariable]: passthrough,
        ...(gated ? { HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy, ALL_PROXY: proxy, npm_config_proxy: proxy, npm_config_https_proxy: proxy } : {}),
      },
    })
    const limit = probe.pids.kind === "ulimit" ? `ulimit -u ${sandboxPidsMax} 2>/dev/null\n` : ""
    const prefix = `${limit}${gated ? this.bridge : ""}`
    const group = probe.pids.kind === "cgroup" ? this.cgroup(probe.pids.folder, key) : undefined
    const lines = [
      "#!/bin/sh",
      "# Written by opencode-orchestrator: runs its argument under bubblewrap.",
      ...(group ? [`echo $$ > ${shellQuote(path.join(group, "cgroup.procs"))} 2>/dev/null`] : []),
      `exec ${[probe.bwrap, ...args, "--", probe.shell, "-c"].map(shellQuote).join(" ")} ${prefix ? shellQuote(prefix) : ""}"$1"`,
      "",
    ]
    const script = lines.join("\n")
    const file = path.join(launchers, `${key}-${createHash("sha256").update(script).digest("hex").slice(0, 12)}`)
    if (!existsSync(file)) writeFileSync(file, script, { mode: 0o755 })
    return file
  }

  /** `wrap` for the commands the engine runs in `directory` (verification, setup): each folder its own sandbox. */
  wrapIn(directory: string, options: { network: boolean; userCheckout: boolean }): (command: string) => string {
    return (command) => this.wrap(command, { directory, key: path.basename(directory), ...options })
  }

  /** Ends every process left in this mission's cgroups, removes them and the temp dirs, closes the gate. Never throws. */
  close(): void {
    void this.gate?.close()
    this.gate = undefined
    const pause = new Int32Array(new SharedArrayBuffer(4))
    for (const group of this.groups) {
      // A process just killed leaves its cgroup a moment later: retry the removal for up to a second.
      for (let round = 0; round < 100; round++) {
        for (const pid of readPids(group))
          try {
            process.kill(pid, "SIGKILL")
          } catch {}
        try {
          rmdirSync(group)
          break
        } catch {
          Atomics.wait(pause, 0, 0, 10)
        }
      }
    }
    this.groups.clear()
    rmSync(this.temps, { recursive: true, force: true })
  }

  private cgroup(parent: string, key: string): string | undefined {
    const group = path.join(parent, `${this.missionId}-${key}`)
    if (this.groups.has(group)) return group
    try {
      mkdirSync(group, { recursive: true })
      writeFileSync(path.join(group, "pids.max"), String(sandboxPidsMax))
      this.groups.add(group)
      return group
    } catch {
      return undefined
    }
  }
}

function readPids(group: string): number[] {
  try {
    return readFileSync(path.join(group, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/** The sandbox a mission gets under `mode`, or why it cannot start (`required` and none can be had). */
export function openSandbox(mode: SandboxMode, probe: () => SandboxProbe, missionId: string, network: boolean, hosts: string[] = []): { ok: true; value: CommandSandbox } | { ok: false; error: string } {
  if (mode === "off") return { ok: true, value: new CommandSandbox(undefined, missionId, network) }
  const found = probe()
  if (!found.available && mode === "required") return { ok: false, error: `"sandbox": "required", and no OS sandbox can be had: ${found.reason}.` }
  return { ok: true, value: new CommandSandbox(found, missionId, network, hosts) }
}
