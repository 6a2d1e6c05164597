import { spawn } from "node:child_process"
import type { Evidence } from "../mission/mission-event.js"

const keepChars = 4000

/** Keeps the first and last `keep` characters of a stream, whatever its length. */
class HeadTail {
  head = ""
  tail = ""
  total = 0
  constructor(private readonly keep: number) {}
  push(text: string): void {
    this.total += text.length
    if (this.head.length < this.keep) this.head += text.slice(0, this.keep - this.head.length)
    this.tail = (this.tail + text).slice(-this.keep)
  }
}

/** How a bounded command ended: its output as head and tail (the tail only past `keep` characters), and how much there was. */
export interface BoundedRun {
  exitCode: number | null
  timedOut: boolean
  durationMs: number
  head: string
  tail: string
  totalChars: number
}

export interface BoundedRunOptions {
  cwd: string
  timeoutMs: number
  signal?: AbortSignal
  /** The line that actually runs (the sandbox's), from the command as given. */
  wrap?: (command: string) => string
  /** Characters kept from each end of the output. */
  keep?: number
}

/**
 * What a command runs with: this process's environment, non-interactive, without colours, and
 * without a test runner's context (under `node --test`, a `node --test` it runs would skip its files and pass).
 */
function commandEnvironment(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env
  return { ...env, CI: process.env.CI ?? "1", FORCE_COLOR: "0", NO_COLOR: "1" }
}

/**
 * Runs one shell command in its own process group, non-interactive (no stdin, no colours, CI set);
 * on timeout or abort the whole group is killed. Never throws: a command that cannot start ends
 * with exit code null and says why in its output.
 */
export function runBounded(command: string, options: BoundedRunOptions): Promise<BoundedRun> {
  const started = Date.now()
  const keep = options.keep ?? keepChars
  const output = new HeadTail(keep)
  const { signal } = options
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>
    try {
      // spawn throws (rather than emitting "error") for arguments it refuses, e.g. a NUL byte.
      child = spawn("sh", ["-c", options.wrap ? options.wrap(command) : command], {
        cwd: options.cwd,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: commandEnvironment(),
      })
    } catch (error) {
      const why = `the command could not be started: ${error instanceof Error ? error.message : String(error)}`
      return resolve({ exitCode: null, timedOut: false, durationMs: Date.now() - started, head: why, tail: "", totalChars: why.length })
    }
    let timedOut = false
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL")
      } catch {}
    }
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, options.timeoutMs)
    const onAbort = () => killGroup()
    signal?.addEventListener("abort", onAbort, { once: true })
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")))
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")))
    let done = false
    const finish = (exitCode: number | null, error?: Error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      signal?.removeEventListener("abort", onAbort)
      killGroup()
      if (error) output.push(`\n${error.message}`)
      resolve({
        exitCode: timedOut ? null : exitCode,
        timedOut,
        durationMs: Date.now() - started,
        head: output.head,
        tail: output.total > keep ? output.tail : "",
        totalChars: output.total,
      })
    }
    child.on("error", (error) => finish(null, error))
    child.on("close", (code) => finish(code))
  })
}

/** A bounded run's output as one text: whole when it fit in two `keep`s, else head, a line naming the cut, and tail. */
export function boundedOutput(run: BoundedRun, keep: number): string {
  if (run.totalChars > 2 * keep) return `${run.head}\n[… ${run.totalChars - 2 * keep} characters cut …]\n${run.tail}`
  return run.totalChars > keep ? run.head + run.tail.slice(-(run.totalChars - keep)) : run.head
}

/**
 * One verification or setup command as evidence: `runBounded`, named by the command as given
 * (not the sandbox's line that ran it).
 */
export async function runCommand(command: string, cwd: string, timeoutMs: number, signal?: AbortSignal, wrap?: (command: string) => string): Promise<Evidence> {
  const run = await runBounded(command, { cwd, timeoutMs, signal, wrap })
  return { command, exitCode: run.exitCode, timedOut: run.timedOut, durationMs: run.durationMs, outputHead: run.head, outputTail: run.tail }
}

/** Runs every command in order (all of them, so the evidence is complete). */
export async function runVerification(commands: string[], cwd: string, timeoutMs: number, signal?: AbortSignal, wrap?: (command: string) => string): Promise<Evidence[]> {
  const evidence: Evidence[] = []
  for (const command of commands) {
    if (signal?.aborted) break
    evidence.push(await runCommand(command, cwd, timeoutMs, signal, wrap))
  }
  return evidence
}

/** The text a model sees of one piece of evidence: result and the end of the output. */
export function describeEvidence(evidence: Evidence, maxLines = 20): string {
  const result = evidence.timedOut ? "TIMED OUT" : evidence.exitCode === 0 ? "PASSED (exit 0)" : `FAILED (exit ${evidence.exitCode})`
  const text = (evidence.outputTail || evidence.outputHead).trimEnd().split("\n").slice(-maxLines).join("\n")
  return `$ ${evidence.command}\n${result} in ${(evidence.durationMs / 1000).toFixed(1)} s\n${text}`
}
