// A run's project: a fresh copy of the mission's seed, committed in a git repository of its own,
// with the orchestrator's bounds for it; and, once the run has ended, the checks that decide it:
// the project's visible tests, then the hidden tests copied in (each in the OS sandbox when there is one).
import { execFileSync } from "node:child_process"
import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs"
import path from "node:path"
import { configRelativePath } from "../config/config.js"
import { boundedOutput, runBounded } from "../verify/verify-run.js"
import { openSandbox } from "../sandbox/command-sandbox.js"
import { probeSandbox } from "../sandbox/sandbox-probe.js"
import { seedConfigFolder } from "../testing/host-environment.js"
import { hiddenTestsFolder, type EvalMission } from "./eval-mission.js"

export interface RunBounds {
  /** Tokens (every kind) the run may spend. */
  tokens: number
  dollars: number
  /** Wall time of the whole run. */
  seconds: number
}

/**
 * Copies the seed to `directory` and commits it. `.opencode/` (the orchestrator's bounds, and a
 * seeded host config folder so the host installs nothing there) and `opencode.json` (`model`)
 * stay out of git, so the agents start from the seed's commit alone.
 */
export function prepareProject(mission: EvalMission, directory: string, options: { bounds: RunBounds; model?: string }): string {
  cpSync(path.join(mission.folder, "seed"), directory, { recursive: true })
  const git = (...args: string[]) => execFileSync("git", args, { cwd: directory, stdio: "ignore" })
  git("init", "-q", "-b", "main")
  git("add", "-A")
  git("-c", "user.email=eval@example.invalid", "-c", "user.name=eval", "commit", "-qm", `seed of eval mission ${mission.id}`)
  appendFileSync(path.join(directory, ".git", "info", "exclude"), `.opencode/\nopencode.json\n${hiddenTestsFolder}/\n`)
  seedConfigFolder(path.join(directory, ".opencode"))
  const config = {
    verify: [mission.spec.verify],
    // The mission pauses before its next step once a cap is reached: the run ends there.
    budget: { missionTokens: options.bounds.tokens, missionDollars: options.bounds.dollars, seconds: options.bounds.seconds },
  }
  writeFileSync(path.join(directory, configRelativePath), `${JSON.stringify(config, null, 2)}\n`)
  if (options.model) writeFileSync(path.join(directory, "opencode.json"), `${JSON.stringify({ $schema: "https://opencode.ai/config.json", model: options.model }, null, 2)}\n`)
  return directory
}

export interface CheckRun {
  passed: boolean
  exitCode: number | null
  timedOut: boolean
  durationMs: number
  /** The end of its output. */
  output: string
}

export interface ProjectChecks {
  visible: CheckRun
  hidden: CheckRun
  /** Whether the checks ran in the OS sandbox (bubblewrap). */
  sandboxed: boolean
}

/** Runs commands in `directory`, in a sandbox of their own when the machine has one. */
async function withChecks<T>(mission: EvalMission, directory: string, timeoutMs: number, body: (check: (command: string) => Promise<CheckRun>, sandboxed: boolean) => Promise<T>): Promise<T> {
  const opened = openSandbox("auto", probeSandbox, `eval-${mission.id}-${process.pid}-${Date.now()}`, false)
  const sandbox = opened.ok ? opened.value : undefined
  const wrap = sandbox?.wrapIn(directory, { network: false, userCheckout: false })
  const check = async (command: string): Promise<CheckRun> => {
    const run = await runBounded(command, { cwd: directory, timeoutMs, wrap })
    return { passed: run.exitCode === 0, exitCode: run.exitCode, timedOut: run.timedOut, durationMs: run.durationMs, output: boundedOutput(run, 1500).slice(-3000) }
  }
  try {
    return await body(check, sandbox?.active ?? false)
  } finally {
    sandbox?.close()
  }
}

/** Puts the hidden tests in `hidden-tests/`, after removing whatever the agents left there. */
function placeHiddenTests(mission: EvalMission, directory: string): void {
  const hiddenFolder = path.join(directory, hiddenTestsFolder)
  rmSync(hiddenFolder, { recursive: true, force: true })
  mkdirSync(hiddenFolder, { recursive: true })
  cpSync(path.join(mission.folder, "hidden"), hiddenFolder, { recursive: true })
}

/**
 * Runs the visible tests, then puts the hidden tests in and runs them. Only the hidden run's
 * exit 0 is a success.
 */
export function checkProject(mission: EvalMission, directory: string, timeoutMs = 120_000): Promise<ProjectChecks> {
  return withChecks(mission, directory, timeoutMs, async (check, sandboxed) => {
    const visible = await check(mission.spec.verify)
    placeHiddenTests(mission, directory)
    const hidden = await check(mission.spec.hidden)
    return { visible, hidden, sandboxed }
  })
}

/**
 * The control: the hidden tests on an untouched copy of the seed, in this run's environment. They
 * must fail there, or a pass after the run would measure nothing (a runner that skips its files
 * exits 0 too); a run whose control passes cannot succeed.
 */
export function hiddenOnSeed(mission: EvalMission, directory: string, timeoutMs = 120_000): Promise<CheckRun> {
  cpSync(path.join(mission.folder, "seed"), directory, { recursive: true })
  placeHiddenTests(mission, directory)
  return withChecks(mission, directory, timeoutMs, (check) => check(mission.spec.hidden))
}
