import { mkdirSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { testedHostVersion } from "../cli/host-version.js"

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")
const require = createRequire(import.meta.url)

/** The pinned `opencode` binary from our own devDependency `opencode-ai`. */
export function opencodeBinary(): string {
  return path.join(path.dirname(require.resolve("opencode-ai/package.json")), "bin", "opencode.exe")
}

/** The built plugin entry (`dist/index.js`): what users install is what the tests load. */
export function builtPluginPath(): string {
  return path.join(packageRoot, "dist", "index.js")
}

/** What the scripted model "costs", in the host's model config: dollars per million tokens. */
export const scriptedModelPrice = { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 }

/**
 * The environment that runs the real `opencode` binary isolated and offline: its own HOME and
 * XDG folders, an in-memory database, no downloads, our plugin, and the scripted model as the
 * only provider. Used by the end-to-end tests, the demo and the benchmark (which also runs the host
 * without the plugin, as its baseline).
 */
export function isolatedHostEnvironment(options: { home: string; modelUrl: string; withPlugin?: boolean; contextLimit?: number; snapshot?: boolean }): Record<string, string> {
  // A small context makes the host compact a session (it does once a reply's usage passes context − output).
  const limit = { context: options.contextLimit ?? 128000, output: Math.min(8192, Math.floor((options.contextLimit ?? 128000) / 8)) }
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
  seedConfigFolder(path.join(dirs.XDG_CONFIG_HOME, "opencode"))
  const config = {
    $schema: "https://opencode.ai/config.json",
    snapshot: options.snapshot ?? false,
    share: "disabled",
    autoupdate: false,
    plugin: options.withPlugin === false ? [] : [builtPluginPath()],
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
          // Priced (dollars per million tokens, as a hosted model is) so that spend in dollars is exercised too.
          model: { name: "Scripted", tool_call: true, limit, cost: scriptedModelPrice },
          alternate: { name: "Scripted alternate", tool_call: true, limit, cost: scriptedModelPrice },
        },
      },
    },
  }
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    // The test runner's temp folder (removed when it ends), for the host and what it runs.
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
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
export function seedConfigFolder(folder: string, version = testedHostVersion): void {
  mkdirSync(path.join(folder, "node_modules"), { recursive: true })
  const lock = { name: "opencode", lockfileVersion: 3, requires: true, packages: { "": { dependencies: { "@opencode-ai/plugin": version } } } }
  writeFileSync(path.join(folder, "package-lock.json"), JSON.stringify(lock, null, 2))
}

export function seedOpencodeFolder(projectDirectory: string): void {
  seedConfigFolder(path.join(projectDirectory, ".opencode"))
}
