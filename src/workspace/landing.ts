import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { gitValue, gitValueInCheckout } from "./git.js"
import { diskTree } from "./snapshot.js"
import type { WorkspaceClosing } from "./workspace.js"

export interface LandingStart {
  root: string
  branch: string
  /** The user's HEAD when the mission started. */
  head: string
  /** The mission's base: `head`, or a snapshot commit of the uncommitted changes on top of it. */
  base: string
  snapshot: boolean
}

/** The one command that takes a mission branch into the user's checkout. */
export function takeCommand(start: LandingStart): string {
  // With a snapshot base, a merge would also commit the user's own uncommitted changes: take only the mission's commits.
  return start.snapshot ? `git cherry-pick ${start.base.slice(0, 12)}..${start.branch}` : `git merge ${start.branch}`
}

type Landing = Pick<WorkspaceClosing, "landing" | "detail" | "command" | "landedCommits" | "landedFiles">

/**
 * Brings a sealed mission's result into the user's checkout, only where nothing of theirs can be
 * overwritten: a fast-forward (git refuses to overwrite local changes), or, when the mission
 * started from their uncommitted changes, applying the mission's change to their working tree
 * when none of the files it changes were touched since. Otherwise the branch stays.
 */
export async function landMission(start: LandingStart, missionHead: string): Promise<Landing> {
  const keep = (detail: string): Landing => ({ landing: "branch", detail, command: takeCommand(start) })
  const head = await gitValue(["rev-parse", "--verify", "HEAD"], start.root)
  if (!start.snapshot) {
    const commits = await gitValue(["rev-list", "--reverse", `${start.head}..${missionHead}`], start.root)
    const files = await gitValue(["diff", "--name-only", start.head, missionHead], start.root)
    const merge = await gitValueInCheckout(["merge", "--ff-only", "-q", start.branch], start.root)
    if (merge.ok)
      return {
        landing: "fast-forward",
        detail: `your checkout was fast-forwarded to ${start.branch}`,
        landedCommits: commits.ok ? commits.value.split("\n").filter(Boolean) : [],
        landedFiles: files.ok ? files.value.split("\n").filter(Boolean) : [],
      }
    return keep(head.ok && head.value !== start.head ? "your HEAD moved during the mission" : `a fast-forward was not possible (${merge.error})`)
  }
  if (!head.ok || head.value !== start.head) return keep("your HEAD moved during the mission")
  const changed = await gitValue(["diff", "--name-only", start.base, missionHead], start.root)
  const disk = await diskTree(start.root, start.head)
  if (!changed.ok || !disk.ok) return keep("your checkout could not be compared with the mission's start")
  const files = changed.value.split("\n").filter(Boolean)
  const touched = await gitValue(["diff", "--name-only", start.base, disk.value, "--", ...files], start.root)
  if (!touched.ok || touched.value) return keep(`files the mission changed were also changed in your checkout: ${touched.ok ? touched.value.split("\n").join(", ") : "unknown"}`)
  const patch = await gitValue(["diff", "--binary", "--no-color", start.base, missionHead], start.root)
  if (!patch.ok) return keep(patch.error)
  const folder = mkdtempSync(path.join(os.tmpdir(), "orchestrator-patch-"))
  try {
    writeFileSync(path.join(folder, "mission.patch"), `${patch.value}\n`)
    const applied = await gitValue(["apply", "--whitespace=nowarn", path.join(folder, "mission.patch")], start.root)
    if (!applied.ok) return keep(`the change could not be applied (${applied.error})`)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
  return { landing: "applied", detail: `applied to your working tree as uncommitted changes, next to your own; the commits are on ${start.branch}`, landedFiles: files }
}
