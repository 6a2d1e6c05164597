#!/usr/bin/env node
// The `opencode-orchestrator` command: install, doctor, run, resume, list, show, dashboard.
import { parseArgs } from "node:util"
import { createInterface } from "node:readline/promises"
import { installPlugin, uninstallPlugin, type InstallScope } from "./install-command.js"
import { doctorChecks, renderChecks } from "./doctor.js"
import { runMissionCommand, notStartedExitCode } from "./run-command.js"
import { listMissions, showMission } from "./missions-command.js"
import { opencodeCommand } from "./served-host.js"
import { packageJson } from "./package-info.js"
import { ConfigEditError } from "./plugin-entry-edit.js"
import { serveDashboard } from "../dashboard/dashboard-server.js"
import { missionIds } from "../store/mission-files.js"
import { defaultBounds, runEvalCommand } from "../eval/eval-command.js"
import { EvalMissionError } from "../eval/eval-mission.js"
import path from "node:path"

/** A flag's value that cannot be used: said like a parse error. */
class UsageError extends Error {
  readonly name = "UsageError"
}

const usage = `opencode-orchestrator ${packageJson.version}

Usage:
  opencode-orchestrator install [--project|--global]   add the plugin to opencode.json (global by default)
  opencode-orchestrator uninstall [--project|--global] take it out again
  opencode-orchestrator doctor                         check OpenCode, the plugin, git, the sandbox, config and models
  opencode-orchestrator run "<mission>" [--json]       run a mission headless, with live progress
      [--clarify [--answer "<text>" …]]                 let the commander ask first (answers: --answer, else the terminal)
  opencode-orchestrator resume [<id>] [--json]         go on with a paused or interrupted mission
  opencode-orchestrator list                           this project's missions
  opencode-orchestrator show <id>                      a mission's report
  opencode-orchestrator dashboard [<id>]               a live page of the mission (127.0.0.1 only)
  opencode-orchestrator eval [--single] [--model <provider/model>] [--missions <id,…>]
      [--scenario solve|wrong] [--parallel <n>] [--out <dir>] [--max-tokens <n>] [--max-dollars <n>] [--timeout <s>] [--keep]
                                                       the mission suite with hidden tests (default: the scripted model, a harness check)

Options: --opencode <path> (else $OPENCODE_BIN, else opencode on PATH), --dir <project> (else the current folder).
Exit codes of run and resume: 0 sealed and landed, 2 sealed but kept on a branch, 3 failed, 4 paused,
5 stopped, 1 not started (or the host failed), 130 interrupted twice, 143/129 killed (resumable).
`

/** A `--clarify` run's answers: the `--answer`s in order, then the terminal's, if there is one. */
function answerer(given: string[]): (question: string) => Promise<string | undefined> {
  const queue = [...given]
  return async (question) => {
    if (queue.length) return queue.shift()
    if (!process.stdin.isTTY) return undefined
    const terminal = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return (await terminal.question(`\nThe commander asks: ${question}\n> `)).trim() || undefined
    } finally {
      terminal.close()
    }
  }
}

const out = (text: string) => void process.stdout.write(text)
const err = (text: string) => void process.stderr.write(text)

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      project: { type: "boolean" },
      global: { type: "boolean" },
      json: { type: "boolean" },
      opencode: { type: "string" },
      dir: { type: "string" },
      port: { type: "string" },
      clarify: { type: "boolean" },
      single: { type: "boolean" },
      model: { type: "string" },
      missions: { type: "string" },
      scenario: { type: "string" },
      parallel: { type: "string" },
      out: { type: "string" },
      "max-tokens": { type: "string" },
      "max-dollars": { type: "string" },
      timeout: { type: "string" },
      keep: { type: "boolean" },
      answer: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  })
  const [command, ...rest] = positionals
  const directory = values.dir ?? process.cwd()
  const binary = opencodeCommand(values.opencode)
  if (values.version) return out(`${packageJson.version}\n`), 0
  if (values.help || !command) return out(usage), command || values.help ? 0 : 1
  switch (command) {
    case "install":
    case "uninstall": {
      if (values.project && values.global) return err("Choose one of --project and --global.\n"), 1
      const scope: InstallScope = values.project ? "project" : "global"
      const change = command === "install" ? installPlugin({ scope, cwd: directory }) : uninstallPlugin({ scope, cwd: directory })
      if (!change.changed) return out(`${change.file}: ${command === "install" ? "the plugin is already there" : "the plugin is not there"}; nothing changed.\n`), 0
      out(`${change.file}${change.fileMade ? " (new)" : change.fileRemoved ? " (removed: the install had made it)" : ""}\n${change.diff}\n`)
      if (command === "install") out("Check it with: opencode-orchestrator doctor\n")
      return 0
    }
    case "doctor": {
      const checks = await doctorChecks({ directory, binary })
      out(renderChecks(checks))
      return checks.some((check) => check.level === "fail") ? 1 : 0
    }
    case "run":
    case "resume": {
      const goal = rest.join(" ").trim()
      if (command === "run" && !goal) return err('Say what to do: opencode-orchestrator run "add a --verbose flag"\n'), 1
      return runMissionCommand({
        directory,
        binary,
        mission: command === "run" ? { goal } : { resume: goal },
        json: values.json ?? false,
        tty: Boolean(process.stdout.isTTY) && !values.json,
        clarify: values.clarify ?? false,
        answer: answerer(values.answer ?? []),
        write: out,
        writeError: err,
      })
    }
    case "list":
      return out(listMissions(directory)), 0
    case "show": {
      const id = rest[0] ?? missionIds(directory)[0]
      const report = id ? showMission(directory, id) : undefined
      if (!report) return err(`No mission ${id ?? ""} in ${directory}.\n`), 1
      return out(report), 0
    }
    case "dashboard": {
      const id = rest[0] ?? missionIds(directory)[0]
      if (!id) return err(`No mission in ${directory} yet.\n`), 1
      const dashboard = await serveDashboard({ directory, missionId: id, port: values.port ? Number(values.port) : 0 })
      out(`Dashboard of mission ${id}: ${dashboard.url}\n(Ctrl-C to stop)\n`)
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()))
      await dashboard.close()
      return 0
    }
    case "eval": {
      const number = (name: string, value: string | undefined, fallback: number) => {
        if (value === undefined) return fallback
        const parsed = Number(value)
        if (!Number.isFinite(parsed) || parsed <= 0) throw new UsageError(`--${name} wants a positive number, not "${value}"`)
        return parsed
      }
      if (values.scenario !== undefined && values.scenario !== "solve" && values.scenario !== "wrong") throw new UsageError(`--scenario is solve or wrong, not "${values.scenario}"`)
      if (values.scenario && values.model) throw new UsageError("--scenario picks a scripted run: it does not go with --model")
      const bounds = values.model ? defaultBounds.model : defaultBounds.scripted
      return runEvalCommand({
        binary,
        missions: values.missions?.split(",").map((id) => id.trim()).filter(Boolean),
        model: values.model,
        single: values.single ?? false,
        scenario: values.scenario as "solve" | "wrong" | undefined,
        parallel: Math.floor(number("parallel", values.parallel, 2)),
        bounds: { tokens: Math.floor(number("max-tokens", values["max-tokens"], bounds.tokens)), dollars: number("max-dollars", values["max-dollars"], bounds.dollars), seconds: Math.floor(number("timeout", values.timeout, bounds.seconds)) },
        out: path.resolve(directory, values.out ?? path.join("eval-results", new Date().toISOString().replace(/[:.]/g, "-"))),
        keep: values.keep ?? false,
        write: out,
        writeError: err,
      })
    }
    default:
      return err(`Unknown command "${command}".\n\n${usage}`), 1
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // A flag it does not know, or a value missing: said plainly, with where the usage is.
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") || error instanceof UsageError) {
      err(`${(error as Error).message}\nSee: opencode-orchestrator --help\n`)
      process.exitCode = 1
      return
    }
    err(`${error instanceof ConfigEditError || error instanceof EvalMissionError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = notStartedExitCode
  },
)
