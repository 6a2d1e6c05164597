import { readdirSync, statSync } from "node:fs"
import path from "node:path"

/** Folders under $HOME that hold keys and credentials: shown empty inside the sandbox. */
const secretFolders = [
  ".ssh",
  ".gnupg",
  ".aws",
  ".azure",
  ".kube",
  ".docker",
  ".password-store",
  ".config/gcloud",
  ".config/gh",
  ".config/op",
  ".local/share/opencode",
  ".local/share/keyrings",
]
/** Files under $HOME that hold tokens: shown empty. */
const secretFiles = [".netrc", ".npmrc", ".pypirc", ".git-credentials", ".pgpass", ".my.cnf", ".env", ".config/hub", ".cargo/credentials", ".cargo/credentials.toml", ".gem/credentials"]
/** Other top-level names in $HOME that look like secrets. */
const secretLooking = /(secret|token|credential|password|passwd|apikey|api[-_]key|private[-_]?key|\.pem$|\.key$|\.p12$|\.pfx$|^id_(rsa|dsa|ecdsa|ed25519))/i

export interface HomeSecrets {
  folders: string[]
  files: string[]
}

function kind(file: string): "folder" | "file" | undefined {
  try {
    const stats = statSync(file)
    return stats.isDirectory() ? "folder" : stats.isFile() ? "file" : undefined
  } catch {
    return undefined
  }
}

/**
 * The secret-looking paths that exist in `home`, and the host's and tools' folders under
 * XDG_DATA_HOME / XDG_CONFIG_HOME when those are elsewhere (only existing paths: bubblewrap mounts
 * over existing paths).
 */
export function homeSecrets(home: string | undefined, env: Record<string, string | undefined> = {}): HomeSecrets {
  const found: HomeSecrets = { folders: [], files: [] }
  if (!home || home === "/") return found
  const add = (file: string) => {
    const what = kind(file)
    if (what === "folder" && !found.folders.includes(file)) found.folders.push(file)
    if (what === "file" && !found.files.includes(file)) found.files.push(file)
  }
  for (const name of [...secretFolders, ...secretFiles]) add(path.join(home, name))
  if (env.XDG_DATA_HOME) for (const name of ["opencode", "keyrings"]) add(path.join(env.XDG_DATA_HOME, name))
  if (env.XDG_CONFIG_HOME) for (const name of ["gh", "gcloud", "op", "hub"]) add(path.join(env.XDG_CONFIG_HOME, name))
  let names: string[] = []
  try {
    names = readdirSync(home)
  } catch {}
  for (const name of names) if (secretLooking.test(name)) add(path.join(home, name))
  return found
}
