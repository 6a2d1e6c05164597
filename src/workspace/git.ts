import { execFile } from "node:child_process"

export interface GitResult {
  ok: boolean
  stdout: string
  stderr: string
}

/** Runs git; never throws (failures are values). */
export function git(args: string[], cwd: string, env: Record<string, string> = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile("git", args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) }),
    )
  })
}

export const emptyTreeHash = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
