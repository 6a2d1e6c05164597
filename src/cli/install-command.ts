// `opencode-orchestrator install` and `uninstall`: our entry in the user's OpenCode config, added
// and taken out again. What an install made (a new file, a new `plugin` list) is remembered in
// the user's state folder, so that uninstall reverses exactly that and nothing of theirs.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { writeFileAtomic } from "../store/journal.js"
import { addPluginEntry, isEmptyConfig, removePluginEntry } from "./plugin-entry-edit.js"
import { lineDiff } from "./line-diff.js"
import { isOurEntry, pluginEntry } from "./package-info.js"

export type InstallScope = "project" | "global"

type Env = Record<string, string | undefined>

export interface ConfigChange {
  file: string
  changed: boolean
  /** What changed, as `-`/`+` lines ("" when nothing did). */
  diff: string
  /** The file was made (install) or removed (uninstall). */
  fileMade?: boolean
  fileRemoved?: boolean
}

const configFolder = (scope: InstallScope, cwd: string, env: Env) => (scope === "project" ? cwd : path.join(env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config"), "opencode"))

/** The config file a scope's install edits: an existing `opencode.jsonc`, else `opencode.json` (made when missing). */
export function configFile(scope: InstallScope, cwd: string, env: Env = process.env): string {
  const folder = configFolder(scope, cwd, env)
  const jsonc = path.join(folder, "opencode.jsonc")
  return existsSync(jsonc) ? jsonc : path.join(folder, "opencode.json")
}

interface InstallRecord {
  fileMade: boolean
  addedKey: boolean
}

const recordFile = (env: Env) => path.join(env.XDG_STATE_HOME || path.join(env.HOME || os.homedir(), ".local", "state"), "opencode-orchestrator", "installs.json")

function readRecords(env: Env): Record<string, InstallRecord> {
  try {
    return JSON.parse(readFileSync(recordFile(env), "utf8")) as Record<string, InstallRecord>
  } catch {
    return {}
  }
}

function writeRecords(env: Env, records: Record<string, InstallRecord>): void {
  mkdirSync(path.dirname(recordFile(env)), { recursive: true })
  writeFileAtomic(recordFile(env), `${JSON.stringify(records, null, 2)}\n`)
}

export function installPlugin(options: { scope: InstallScope; cwd: string; env?: Env; entry?: string }): ConfigChange {
  const env = options.env ?? process.env
  const file = configFile(options.scope, options.cwd, env)
  const existed = existsSync(file)
  const before = existed ? readFileSync(file, "utf8") : ""
  const edit = addPluginEntry(before, options.entry ?? pluginEntry(), isOurEntry, file)
  if (!edit.changed) return { file, changed: false, diff: "" }
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileAtomic(file, edit.text)
  // A replaced older entry of ours keeps what the first install recorded.
  const records = readRecords(env)
  records[file] = records[file] ?? { fileMade: !existed, addedKey: edit.addedKey }
  writeRecords(env, records)
  return { file, changed: true, diff: lineDiff(before, edit.text), fileMade: !existed }
}

export function uninstallPlugin(options: { scope: InstallScope; cwd: string; env?: Env }): ConfigChange {
  const env = options.env ?? process.env
  const file = configFile(options.scope, options.cwd, env)
  if (!existsSync(file)) return { file, changed: false, diff: "" }
  const before = readFileSync(file, "utf8")
  const records = readRecords(env)
  const record = records[file]
  const edit = removePluginEntry(before, isOurEntry, { removeEmptyKey: record?.addedKey ?? false }, file)
  if (record) {
    delete records[file]
    writeRecords(env, records)
  }
  if (!edit.changed) return { file, changed: false, diff: "" }
  if (record?.fileMade && isEmptyConfig(edit.text)) {
    rmSync(file)
    return { file, changed: true, diff: lineDiff(before, ""), fileRemoved: true }
  }
  writeFileAtomic(file, edit.text)
  return { file, changed: true, diff: lineDiff(before, edit.text) }
}
