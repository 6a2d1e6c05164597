import { accessSync, constants, existsSync, mkdirSync } from "node:fs"
import { spawnSync } from "node:child_process"
import path from "node:path"

/** How a sandbox's process count is bounded: a cgroup's pids.max, `ulimit -u` inside its user namespace, or not at all. */
export type PidsLimit = { kind: "cgroup"; folder: string } | { kind: "ulimit" } | { kind: "none" }

export type SandboxProbe = { available: true; bwrap: string; shell: string; pids: PidsLimit; node?: string } | { available: false; reason: string }

/** Our cgroups (v1 pids controller) live under this one, one per mission and task. */
const cgroupRoot = "/sys/fs/cgroup/pids"
export const cgroupParent = path.join(cgroupRoot, "opencode-orchestrator")

function onPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(folder || ".", name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {}
  }
  return undefined
}

function pidsLimit(): PidsLimit {
  try {
    accessSync(cgroupRoot, constants.W_OK)
    mkdirSync(cgroupParent, { recursive: true })
    return { kind: "cgroup", folder: cgroupParent }
  } catch {}
  // RLIMIT_NPROC binds any user but root (kernel: the root user is exempt, also inside a user namespace).
  return process.getuid?.() === 0 ? { kind: "none" } : { kind: "ulimit" }
}

let probed: SandboxProbe | undefined

/**
 * Whether bubblewrap can sandbox commands here: it is installed, and a sandbox with every
 * namespace actually starts (it does not where user namespaces are off, in some containers, on
 * macOS or Windows). Run once per process, when the first mission starts; never at plugin load.
 */
export function probeSandbox(): SandboxProbe {
  if (probed) return probed
  probed = probeOnce()
  return probed
}

function probeOnce(): SandboxProbe {
  if (process.platform !== "linux") return { available: false, reason: `no OS sandbox for ${process.platform} yet (bubblewrap is Linux only)` }
  const bwrap = onPath("bwrap")
  if (!bwrap) return { available: false, reason: "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)" }
  const shell = existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh"
  const trial = spawnSync(bwrap, ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--", shell, "-c", "true"], {
    encoding: "utf8",
    timeout: 10_000,
  })
  if (trial.status !== 0) {
    const why = (trial.stderr || trial.error?.message || `exit ${trial.status}`).trim().split("\n")[0]
    return { available: false, reason: `bubblewrap cannot start a sandbox here (${why}); user namespaces may be turned off` }
  }
  return { available: true, bwrap, shell, pids: pidsLimit(), node: onPath("node") }
}
