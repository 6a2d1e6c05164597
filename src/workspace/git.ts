import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"

export interface GitResult {
  ok: boolean
  stdout: string
  stderr: string
}

/** A value or why there is none: how every workspace step reports failure (never thrown). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string }

/**
 * What every git command of ours runs with: no hooks, no fsmonitor, no pager, no `ext::`
 * transport from the repository's config (and `git diff` without external diff or textconv). Those run programs a worker could have planted; the
 * engine's commits, merges and worktree adds, and the landing in the user's checkout, run none.
 */
export function hardenedGitArguments(): string[] {
  // A hooks path that is not a folder holds no hooks (and leaves no temp folder behind).
  return ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.pager=cat", "-c", "protocol.ext.allow=never"]
}

/** The environment without GIT_* variables (GIT_DIR, GIT_CONFIG_*, GIT_EXEC_PATH … would redirect git), plus `extra`. */
export function gitEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("GIT_")) env[name] = value
  return { ...env, ...extra }
}

/** A git command's words as we run it: `git diff` without an external diff or textconv. */
function hardenedCommand(args: string[]): string[] {
  return args[0] === "diff" ? ["diff", "--no-ext-diff", "--no-textconv", ...args.slice(1)] : args
}

/** Runs git, hardened (see hardenedGitArguments); never throws (failures are values). */
export function git(args: string[], cwd: string, env: Record<string, string> = {}, input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile("git", [...hardenedGitArguments(), ...hardenedCommand(args)], { cwd, env: gitEnvironment(env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) }),
    )
    if (input !== undefined) child.stdin?.end(input)
  })
}

/** One git command of a `gitSteps` run. */
export interface GitStep {
  args: string[]
  /** Its failure does not stop the steps after it. */
  mayFail?: boolean
  /** Runs only when this earlier step ran and failed (a fallback check), else is skipped. */
  ifFailed?: number
}

/** What a step of `gitSteps` did: skipped (not run), or its exit and output. */
export type GitStepResult = { ran: false } | ({ ran: true } & GitResult)

/** A word for `sh`, quoted: what it holds is never expanded. */
const shellWord = (word: string) => `'${word.replaceAll("'", "'\\''")}'`

/**
 * Several git commands, one after another, in one `sh` process, each hardened as `git` runs it:
 * the engine runs inside the host's process, whose one thread is often busy for tens of
 * milliseconds at a time, and each process we wait for costs a wait for that thread. A step that
 * fails stops the steps after it, unless it `mayFail`. Outputs are told apart by NUL bytes: for
 * commands that print none (no `-z`). Never throws.
 */
export function gitSteps(steps: GitStep[], cwd: string): Promise<GitStepResult[]> {
  const hardened = hardenedGitArguments().map(shellWord).join(" ")
  // Before each step a NUL on both streams; at the end each step's status (-1: skipped).
  const lines = ["stop=0"]
  steps.forEach((step, index) => {
    const command = hardenedCommand(step.args)
    const condition = step.ifFailed === undefined ? `[ "$stop" = 0 ]` : `[ "$s${step.ifFailed}" -gt 0 ]`
    lines.push(`printf '\\000'; printf '\\000' >&2; s${index}=-1`)
    lines.push(`if ${condition}; then git ${hardened} ${command.map(shellWord).join(" ")}; s${index}=$?; fi`)
    if (!step.mayFail && step.ifFailed === undefined) lines.push(`[ "$s${index}" = 0 ] || stop=1`)
  })
  lines.push(`printf '\\000%s' "${steps.map((_, index) => `$s${index}`).join(" ")}"`)
  return new Promise((resolve) => {
    execFile("sh", ["-c", lines.join("\n")], { cwd, env: gitEnvironment({}), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const outs = String(stdout).split("\0")
      const errs = String(stderr).split("\0")
      const statuses = (outs[steps.length + 1] ?? "").split(" ").map(Number)
      if (error || statuses.length !== steps.length) return resolve(steps.map(() => ({ ran: true, ok: false, stdout: "", stderr: String(stderr) || String(error) })))
      resolve(statuses.map((status, index) => (status < 0 ? { ran: false } : { ran: true, ok: status === 0, stdout: outs[index + 1] ?? "", stderr: errs[index + 1] ?? "" })))
    })
  })
}

/** Why a step of `gitSteps` failed, worded as `gitValue` words it (a skipped step: "not run"). */
export function stepFailure(step: GitStepResult | undefined, name: string): { ok: false; error: string } {
  const reason = step?.ran ? (step.stderr.trim() || step.stdout.trim()).split("\n").slice(0, 3).join(" ") : "not run"
  return { ok: false, error: `git ${name} failed: ${reason || "no output"}` }
}

/** Whether a step of `gitSteps` ran and exited 0. */
export const stepPassed = (step: GitStepResult | undefined): step is { ran: true } & GitResult => step?.ran === true && step.ok

/**
 * The contents of many `<commit>:<path>` objects from one `git cat-file --batch` process;
 * undefined for one that does not exist. Never throws: a failed process reads as all missing.
 */
export function readObjects(specs: string[], cwd: string): Promise<Array<string | undefined>> {
  if (specs.length === 0) return Promise.resolve([])
  return new Promise((resolve) => {
    const child = execFile("git", [...hardenedGitArguments(), "cat-file", "--batch"], { cwd, env: gitEnvironment({}), encoding: "buffer", maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(specs.map(() => undefined))
      const found: Array<string | undefined> = []
      let at = 0
      for (let index = 0; index < specs.length; index++) {
        const end = stdout.indexOf(10, at)
        if (end < 0) break
        const header = stdout.subarray(at, end).toString("utf8").split(" ")
        at = end + 1
        const size = Number(header[2])
        if (header.length !== 3 || !Number.isInteger(size)) {
          found.push(undefined)
          continue
        }
        found.push(header[1] === "blob" ? stdout.subarray(at, at + size).toString("utf8") : undefined)
        at += size + 1
      }
      resolve(specs.map((_, index) => found[index]))
    })
    child.stdin?.end(specs.map((spec) => `${spec}\n`).join(""))
  })
}

/** Runs git and gives its trimmed output, or an error naming the command and git's first words. */
export async function gitValue(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Outcome<string>> {
  const result = await git(args, cwd, env)
  if (result.ok) return { ok: true, value: result.stdout.trim() }
  const reason = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(0, 3).join(" ")
  return { ok: false, error: `git ${args[0]} failed: ${reason || "no output"}` }
}

/** git's words when another git process (an editor's, the host's own `git status`) holds the index lock. */
const indexLocked = /index\.lock': File exists/

/**
 * `gitValue` for a step in the user's own checkout, which other git processes use too: a failure
 * only because the index is locked is retried after a short wait, at most `tries` times in about
 * 3 s. Anything else fails at once. Safe only for steps that change nothing when they fail.
 */
export async function gitValueInCheckout(args: string[], cwd: string, tries = 6, waitMs = 100): Promise<Outcome<string>> {
  for (let attempt = 1; ; attempt++) {
    const result = await gitValue(args, cwd)
    if (result.ok || attempt >= tries || !indexLocked.test(result.error)) return result
    await new Promise((resolve) => setTimeout(resolve, waitMs * 2 ** (attempt - 1)))
  }
}

export const emptyTreeHash = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

/** Who our own commits are by: the user's identity when git has one, else the orchestrator's. */
export async function commitIdentity(cwd: string): Promise<string[]> {
  const name = await git(["config", "user.name"], cwd)
  const email = await git(["config", "user.email"], cwd)
  return [
    ...(name.stdout.trim() ? [] : ["-c", "user.name=opencode-orchestrator"]),
    ...(email.stdout.trim() ? [] : ["-c", "user.email=orchestrator@localhost"]),
    "-c",
    "commit.gpgsign=false",
  ]
}

export function truncate(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n… (truncated at ${maxChars} characters)` : text
}

/**
 * Runs `work` with the environment of a temporary git index (GIT_INDEX_FILE), removed afterwards:
 * how we stage a checkout's files without ever reading or writing the user's own index.
 */
export async function withTemporaryIndex<T>(work: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "orchestrator-index-"))
  try {
    return await work({ GIT_INDEX_FILE: path.join(folder, "index") })
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
