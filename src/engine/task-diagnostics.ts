import type { Evidence } from "../mission/mission-event.js"
import type { Mission } from "../mission/mission.js"
import { compilerCommand, diagnosticsEvidence, newErrors, parseCompilerOutput, type Diagnostic } from "../verify/ts-diagnostics.js"
import { boundedOutput, runBounded } from "../verify/verify-run.js"

/** Compiler output read from each end: enough for thousands of errors. */
const outputKeep = 400_000

/**
 * Compiler diagnostics as a task's evidence (verify/ts-diagnostics.ts): the project's compiler
 * runs once per base a task starts from, before its worker changes anything (the baseline), and
 * again on the task's change. Only the errors the change added, in the files it changed, count.
 * Undefined where the project has no compiler, or it could not run.
 */
export interface TaskDiagnostics {
  /** Takes the baseline for `base` (a commit, or "shared") in `directory`, once per base. */
  baseline(directory: string, base: string): Promise<void>
  evidence(directory: string, base: string, files: string[]): Promise<Evidence | undefined>
}

export function taskDiagnostics(mission: Mission, queue: <T>(work: () => Promise<T>) => Promise<T>): TaskDiagnostics {
  const baselines = new Map<string, Promise<Diagnostic[] | undefined>>()
  const compile = async (directory: string) => {
    const command = mission.config.diagnostics === "auto" ? compilerCommand(directory) : undefined
    if (!command) return undefined
    return queue(async () => {
      const run = await runBounded(command, {
        cwd: directory,
        timeoutMs: mission.config.verifyTimeoutSeconds * 1000,
        signal: mission.stopController.signal,
        wrap: mission.sandbox.wrapIn(directory, { network: false, userCheckout: directory === mission.workspace.root }),
        keep: outputKeep,
      })
      const diagnostics = parseCompilerOutput(boundedOutput(run, outputKeep))
      // A compiler that crashed or timed out says nothing about the change.
      if (run.timedOut || (run.exitCode !== 0 && diagnostics.length === 0)) return undefined
      return { diagnostics, durationMs: run.durationMs }
    })
  }
  return {
    async baseline(directory, base) {
      if (!baselines.has(base)) baselines.set(base, compile(directory).then((result) => result?.diagnostics))
      await baselines.get(base)
    },
    async evidence(directory, base, files) {
      const before = await baselines.get(base)
      if (!before || !files.length) return undefined
      const after = await compile(directory)
      return after ? diagnosticsEvidence(newErrors(before, after.diagnostics, files), after.durationMs) : undefined
    },
  }
}
