import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"

/**
 * The environment that runs the real `opencode` binary isolated and offline: its own HOME and
 * XDG folders, an in-memory database, no downloads, our plugin, and the scripted model as the
 * only provider. Used by the end-to-end tests and the demo.
 */
export function isolatedHostEnvironment(options: { home: string; pluginPath: string; modelUrl: string; hostVersion: string }): Record<string, string> {
  const dirs = {
    HOME: path.join(options.home, "home"),
    XDG_CONFIG_HOME: path.join(options.home, "config"),
    XDG_DATA_HOME: path.join(options.home, "data"),
    XDG_CACHE_HOME: path.join(options.home, "cache"),
    XDG_STATE_HOME: path.join(options.home, "state"),
  }
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true })
  // The host npm-installs its plugin package into every writable config folder, the global one too
  // (64 MB from the registry, ~5 s); seeded, it does not: nothing is downloaded at run time.
  seedConfigFolder(path.join(dirs.XDG_CONFIG_HOME, "opencode"), options.hostVersion)
  const config = {
    $schema: "https://opencode.ai/config.json",
    snapshot: false,
    share: "disabled",
    autoupdate: false,
    plugin: [options.pluginPath],
    model: "scripted/model",
    small_model: "scripted/model",
    enabled_providers: ["scripted"],
    provider: {
      scripted: {
        npm: "@ai-sdk/openai-compatible",
        name: "Scripted model",
        options: { baseURL: options.modelUrl, apiKey: "scripted" },
        // A second model, so per-role model settings can be observed in the request log.
        models: {
          model: { name: "Scripted", tool_call: true, limit: { context: 128000, output: 8192 } },
          alternate: { name: "Scripted alternate", tool_call: true, limit: { context: 128000, output: 8192 } },
        },
      },
    },
  }
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ...dirs,
    OPENCODE_DB: ":memory:",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_CLAUDE_CODE: "1",
    OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
    OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
  }
}

/**
 * Makes an OpenCode config folder (a project's `.opencode/`, or the global one) look installed,
 * so the host skips its automatic `npm install @opencode-ai/plugin` there (which needs the network).
 */
export function seedConfigFolder(folder: string, hostVersion: string): void {
  mkdirSync(path.join(folder, "node_modules"), { recursive: true })
  const lock = { name: "opencode", lockfileVersion: 3, requires: true, packages: { "": { dependencies: { "@opencode-ai/plugin": hostVersion } } } }
  writeFileSync(path.join(folder, "package-lock.json"), JSON.stringify(lock, null, 2))
}

export function seedOpencodeFolder(projectDirectory: string, hostVersion: string): void {
  seedConfigFolder(path.join(projectDirectory, ".opencode"), hostVersion)
}
