/**
 * A named place where the crash-matrix test makes the process die hard, to prove that a resume
 * loses nothing. Inert unless the environment variable ORCHESTRATOR_FAULT names this point.
 */
export function faultPoint(name: string): void {
  if (process.env.ORCHESTRATOR_FAULT === name) process.kill(process.pid, "SIGKILL")
}
