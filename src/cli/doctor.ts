// `opencode-orchestrator doctor`: what a mission needs, checked on this machine and project, one
// line each (ok / warn / fail, with its fix). It exits non-zero when anything fails.
import { spawnSync } from "node:child_process"
import { loadConfig, ConfigError, roleNames, type OrchestratorConfig } from "../config/config.js"
import { detectVerifyCommands } from "../project/project-scan.js"
import { probeSandbox } from "../sandbox/sandbox-probe.js"
import { hostCompatibility, testedHostVersion, type Level } from "./host-version.js"
import { startServedHost } from "./served-host.js"
import { schemaFile } from "./package-info.js"

export interface Check {
  level: Level
  title: string
  detail: string
  fix?: string
}

const run = (command: string, args: string[], cwd: string) => spawnSync(command, args, { cwd, encoding: "utf8", timeout: 30_000 })

function hostCheck(binary: string, cwd: string): Check {
  const result = run(binary, ["--version"], cwd)
  if (result.error || result.status !== 0)
    return { level: "fail", title: "OpenCode", detail: `${binary} could not be run (${result.error?.message ?? `exit ${result.status}`})`, fix: `install it: npm install -g opencode-ai@${testedHostVersion}, or point OPENCODE_BIN at it` }
  const verdict = hostCompatibility(result.stdout)
  return { ...verdict, title: "OpenCode", fix: verdict.level === "ok" ? undefined : `npm install -g opencode-ai@${testedHostVersion}` }
}

function gitChecks(cwd: string): Check[] {
  const version = run("git", ["--version"], cwd)
  if (version.error || version.status !== 0) return [{ level: "fail", title: "git", detail: "git is not installed", fix: "install git (apt-get install git)" }]
  const checks: Check[] = [{ level: "ok", title: "git", detail: version.stdout.trim() }]
  const inside = run("git", ["rev-parse", "--is-inside-work-tree"], cwd)
  if (inside.stdout.trim() !== "true") checks.push({ level: "warn", title: "worktrees", detail: "this folder is not a git repository: tasks would share one tree, without isolation", fix: "git init && git add -A && git commit -m init" })
  else if (run("git", ["rev-parse", "--verify", "HEAD"], cwd).status !== 0) checks.push({ level: "warn", title: "worktrees", detail: "the repository has no commit yet: tasks would share one tree", fix: "make a first commit" })
  else {
    const list = run("git", ["worktree", "list", "--porcelain"], cwd)
    checks.push(list.status === 0 ? { level: "ok", title: "worktrees", detail: "each task gets its own worktree" } : { level: "fail", title: "worktrees", detail: `git worktree failed: ${list.stderr.trim()}`, fix: "upgrade git to 2.17 or later" })
  }
  return checks
}

function sandboxCheck(config: OrchestratorConfig | undefined): Check {
  const mode = config?.sandbox ?? "auto"
  if (mode === "off") return { level: "warn", title: "sandbox", detail: '"sandbox": "off": workers\' commands are checked by the command guard only' }
  const probe = probeSandbox()
  if (probe.available) return { level: "ok", title: "sandbox", detail: `bubblewrap (${probe.bwrap}); process limit: ${probe.pids.kind}` }
  return { level: mode === "required" ? "fail" : "warn", title: "sandbox", detail: `no OS sandbox: ${probe.reason}`, fix: "apt-get install bubblewrap (and allow unprivileged user namespaces)" }
}

function configChecks(directory: string): { config?: OrchestratorConfig; checks: Check[] } {
  let config: OrchestratorConfig
  try {
    config = loadConfig(directory)
  } catch (error) {
    const detail = error instanceof ConfigError || error instanceof Error ? error.message : String(error)
    return { checks: [{ level: "fail", title: "config", detail, fix: "fix .opencode/orchestrator.json (its $schema is in the package's schema/ folder)" }] }
  }
  const verify = config.verify?.length ? { from: "configured", commands: config.verify } : { from: "detected", commands: detectVerifyCommands(directory) }
  return {
    config,
    checks: [
      { level: "ok", title: "config", detail: `valid (the schema of .opencode/orchestrator.json: ${schemaFile})` },
      verify.commands.length
        ? { level: "ok", title: "verify", detail: `${verify.from}: ${verify.commands.join(" && ")}` }
        : { level: "warn", title: "verify", detail: "no verify command found: nothing would be tested, so no task could be sealed on evidence", fix: 'set "verify": ["npm test"] in .opencode/orchestrator.json' },
    ],
  }
}

/** Starts the host once: our agents must be there, and each role must have a model the host knows. */
async function pluginChecks(binary: string, directory: string, config: OrchestratorConfig | undefined): Promise<Check[]> {
  let host
  try {
    host = await startServedHost({ binary, directory })
  } catch (error) {
    return [{ level: "fail", title: "plugin", detail: `opencode serve did not start: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}` }]
  }
  try {
    const agents = (await host.client.app.agents()).data ?? []
    const ours: string[] = [...roleNames]
    const missing = ours.filter((name) => !agents.some((agent) => agent.name === name))
    if (missing.length) return [{ level: "fail", title: "plugin", detail: `not loaded here (agents missing: ${missing.join(", ")})`, fix: "opencode-orchestrator install (or install --project)" }]
    const checks: Check[] = [{ level: "ok", title: "plugin", detail: `loaded (agents: ${ours.join(", ")})` }]
    const hostConfig = (await host.client.config.get()).data as { model?: string } | undefined
    const providers = (await host.client.config.providers()).data?.providers ?? []
    const known = (model: string) => {
      const [provider, ...rest] = model.split("/")
      return providers.some((entry) => entry.id === provider && rest.join("/") in entry.models)
    }
    for (const role of roleNames) {
      const agent = agents.find((entry) => entry.name === role)
      const model = config?.roles[role]?.model ?? (agent?.model ? `${agent.model.providerID}/${agent.model.modelID}` : hostConfig?.model)
      if (!model) checks.push({ level: "fail", title: `model: ${role}`, detail: "none set", fix: 'set "model" in opencode.json, or roles.<role>.model in .opencode/orchestrator.json' })
      else if (!known(model)) checks.push({ level: "fail", title: `model: ${role}`, detail: `${model} is not a model of any configured provider`, fix: "opencode models lists the ones you have" })
      else checks.push({ level: "ok", title: `model: ${role}`, detail: model })
    }
    return checks
  } catch (error) {
    return [{ level: "fail", title: "plugin", detail: `the host did not answer: ${error instanceof Error ? error.message : String(error)}` }]
  } finally {
    await host.stop()
  }
}

export async function doctorChecks(options: { directory: string; binary: string }): Promise<Check[]> {
  const host = hostCheck(options.binary, options.directory)
  const { config, checks: configResults } = configChecks(options.directory)
  const checks = [host, ...gitChecks(options.directory), sandboxCheck(config), ...configResults]
  // A host that cannot run, or that cannot load the plugin (OpenCode 2), has nothing more to say.
  if (host.level !== "fail") checks.push(...(await pluginChecks(options.binary, options.directory, config)))
  return checks
}

export function renderChecks(checks: Check[]): string {
  const mark: Record<Level, string> = { ok: "ok  ", warn: "warn", fail: "FAIL" }
  return `${checks.map((check) => `${mark[check.level]}  ${check.title}: ${check.detail}${check.fix ? `\n      fix: ${check.fix}` : ""}`).join("\n")}\n`
}
