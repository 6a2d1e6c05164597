import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from "node:fs"
import path from "node:path"
import { describeEvidence, runCommand } from "../verify/verify-run.js"
import type { Outcome } from "./git.js"

/** Turns a setup command into the one that runs it, in `directory` (the sandbox's wrap); unset, as it is. */
export type CommandWrap = (command: string, directory: string) => string

export interface Preparation {
  /** Paths symlinked from the user's checkout when they exist there and not in the worktree. */
  link: string[]
  /** Paths copied likewise. */
  copy: string[]
  /** Shell commands run in a new worktree afterwards. */
  setup: string[]
  setupTimeoutMs: number
  /** Setup commands run through this (the mission's sandbox, with the network: they install). */
  wrap?: CommandWrap
}

/**
 * What the host itself needs in a worktree. A worktree with a `.opencode/` folder would get the
 * host's automatic npm install (seconds, and the network) unless it already has the install;
 * an `opencode.json` the user has not committed is not read in a worktree unless it is there (nor
 * our own `orchestrator.json`, which sets the agents' permissions there).
 */
const hostLinks = [".opencode/node_modules"]
const hostCopies = [".opencode/package.json", ".opencode/package-lock.json"]
const projectConfigFiles = ["opencode.json", "opencode.jsonc", ".opencode/orchestrator.json"]

function exists(file: string): boolean {
  try {
    lstatSync(file)
    return true
  } catch {
    return false
  }
}

function sameContent(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b))
  } catch {
    return false
  }
}

/**
 * Makes a worktree usable: links, copies, the project's OpenCode config, then setup commands
 * (only when `runSetup`). Returns the paths it created, which never become part of a task's
 * commit. Idempotent: what is already there is left alone.
 */
export async function prepareWorktree(root: string, worktree: string, preparation: Preparation, runSetup: boolean, signal?: AbortSignal): Promise<Outcome<string[]>> {
  const prepared: string[] = []
  const place = (relative: string, how: "link" | "copy" | "mirror") => {
    const source = path.join(root, relative)
    const target = path.join(worktree, relative)
    if (!existsSync(source)) return
    if (how === "mirror" ? sameContent(source, target) : exists(target)) return
    mkdirSync(path.dirname(target), { recursive: true })
    if (how === "link") symlinkSync(source, target)
    else if (how === "mirror") copyFileSync(source, target)
    else cpSync(source, target, { recursive: true, verbatimSymlinks: true })
    prepared.push(relative)
  }
  try {
    for (const file of preparation.link) place(file, "link")
    for (const file of preparation.copy) place(file, "copy")
    for (const file of projectConfigFiles) place(file, "mirror")
    if (existsSync(path.join(worktree, ".opencode"))) {
      for (const file of hostLinks) place(file, "link")
      for (const file of hostCopies) place(file, "copy")
    }
  } catch (error) {
    return { ok: false, error: `preparing the worktree failed: ${(error as Error).message}` }
  }
  if (runSetup)
    for (const command of preparation.setup) {
      const evidence = await runCommand(command, worktree, preparation.setupTimeoutMs, signal, preparation.wrap && ((line) => preparation.wrap!(line, worktree)))
      if (evidence.exitCode !== 0) return { ok: false, error: `worktree setup failed:\n${describeEvidence(evidence, 10)}` }
    }
  return { ok: true, value: prepared }
}
