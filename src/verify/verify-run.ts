import { spawn } from "node:child_process"
import type { Evidence } from "../mission/mission-event.js"

const keepChars = 4000

/** Keeps the first and last `keepChars` characters of a stream, whatever its length. */
class HeadTail {
  head = ""
  tail = ""
  total = 0
  push(text: string): void {
    this.total += text.length
    if (this.head.length < keepChars) this.head += text.slice(0, keepChars - this.head.length)
    this.tail = (this.tail + text).slice(-keepChars)
  }
}

/**
 * Runs one shell command in its own process group; on timeout (or abort) the whole group is
 * killed. Never throws: a command that cannot start is evidence with exit code null. `wrap`
 * gives the line that actually runs (the sandbox's); the evidence names the command as given.
 */
export function runCommand(command: string, cwd: string, timeoutMs: number, signal?: AbortSignal, wrap?: (command: string) => string): Promise<Evidence> {
  const started = Date.now()
  const output = new HeadTail()
  const cannotStart = (error: unknown): Evidence => ({
    command,
    exitCode: null,
    timedOut: false,
    durationMs: Date.now() - started,
    outputHead: `the command could not be started: ${error instanceof Error ? error.message : String(error)}`,
    outputTail: "",
  })
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>
    try {
      // spawn throws (rather than emitting "error") for arguments it refuses, e.g. a NUL byte.
      child = spawn("sh", ["-c", wrap ? wrap(command) : command], {
        cwd,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, CI: process.env.CI ?? "1", FORCE_COLOR: "0", NO_COLOR: "1" },
      })
    } catch (error) {
      return resolve(cannotStart(error))
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
    }, timeoutMs)
    const onAbort = () => killGroup()
    signal?.addEventListener("abort", onAbort, { once: true })
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")))
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")))
    const finish = (exitCode: number | null, error?: Error) => {
      clearTimeout(timer)
      signal?.removeEventListener("abort", onAbort)
      killGroup()
      if (error) output.push(`\n${error.message}`)
      resolve({
        command,
        exitCode: timedOut ? null : exitCode,
        timedOut,
        durationMs: Date.now() - started,
        outputHead: output.head,
        outputTail: output.total > keepChars ? output.tail : "",
      })
    }
    child.on("error", (error) => finish(null, error))
    child.on("close", (code) => finish(code))
  })
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
