// Adding our plugin to an OpenCode config file, and taking it out again. The file is read with
// jsonc-parser and edited as text at the places its syntax tree gives: the user's comments,
// formatting and order stay byte for byte, and removing an entry undoes exactly what adding made.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser"

export class ConfigEditError extends Error {
  readonly name = "ConfigEditError"
}

/** What the edit did, so that removing it later can undo exactly that. */
export interface PluginEdit {
  text: string
  changed: boolean
  /** The `plugin` list did not exist before; the edit made it. */
  addedKey: boolean
}

const newConfig = (entry: string) => `${JSON.stringify({ $schema: "https://opencode.ai/config.json", plugin: [entry] }, null, 2)}\n`

function tree(text: string, file: string): Node {
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false })
  if (errors.length || !root) throw new ConfigEditError(`${file} is not valid JSONC (${errors[0] ? `${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}` : "empty"}); it was left as it is.`)
  if (root.type !== "object") throw new ConfigEditError(`${file} does not hold a JSON object; it was left as it is.`)
  return root
}

function pluginList(root: Node, file: string): Node | undefined {
  const list = findNodeAtLocation(root, ["plugin"])
  if (list && list.type !== "array") throw new ConfigEditError(`"plugin" in ${file} is not a list; it was left as it is.`)
  return list
}

const end = (node: Node) => node.offset + node.length
const splice = (text: string, from: number, to: number, insert = "") => text.slice(0, from) + insert + text.slice(to)
/** The whitespace that starts the line `offset` is on. */
const indentAt = (text: string, offset: number) => text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset).match(/^[ \t]*/)![0]
const eol = (text: string) => (text.includes("\r\n") ? "\r\n" : "\n")

/** The separator before a new item that follows `last`: on its own line when `last` is, else a space. */
function separator(text: string, container: Node, last: Node): string {
  const multiline = /\n/.test(text.slice(container.offset, last.offset))
  return multiline ? `,${eol(text)}${indentAt(text, last.offset)}` : ", "
}

/**
 * Adds `entry` at the end of the config's `plugin` list (made when missing). A list that already
 * holds one of ours (`isOurs`) has it replaced in place when it differs (an older path), and is
 * left alone when it is the same: running it twice changes nothing.
 */
export function addPluginEntry(text: string, entry: string, isOurs: (entry: string) => boolean, file = "the config"): PluginEdit {
  if (!text.trim()) return { text: newConfig(entry), changed: true, addedKey: true }
  const root = tree(text, file)
  const list = pluginList(root, file)
  const quoted = JSON.stringify(entry)
  if (!list) {
    const properties = root.children ?? []
    const last = properties.at(-1)
    const inserted = last ? `${separator(text, root, last)}"plugin": [${quoted}]` : `"plugin": [${quoted}]`
    return { text: splice(text, last ? end(last) : root.offset + 1, last ? end(last) : root.offset + 1, inserted), changed: true, addedKey: true }
  }
  const items = list.children ?? []
  const ours = items.find((item) => item.type === "string" && isOurs(item.value as string))
  if (ours?.value === entry) return { text, changed: false, addedKey: false }
  if (ours) return { text: splice(text, ours.offset, end(ours), quoted), changed: true, addedKey: false }
  const last = items.at(-1)
  const at = last ? end(last) : list.offset + 1
  return { text: splice(text, at, at, last ? `${separator(text, list, last)}${quoted}` : quoted), changed: true, addedKey: false }
}

/** The range that removing `items[index]` takes out: with the separator before it, or after it when it is first. */
function removalRange(items: Node[], index: number): [number, number] {
  const item = items[index]!
  if (index > 0) return [end(items[index - 1]!), end(item)]
  const next = items[1]
  return [item.offset, next ? next.offset : end(item)]
}

/**
 * Takes every entry of ours out of the `plugin` list; the list itself goes too when the install
 * made it (`removeEmptyKey`) and nothing else is in it. Everything else stays byte for byte.
 */
export function removePluginEntry(text: string, isOurs: (entry: string) => boolean, options: { removeEmptyKey: boolean }, file = "the config"): PluginEdit {
  const root = tree(text, file)
  const list = pluginList(root, file)
  const items = list?.children ?? []
  const ours = items.flatMap((item, index) => (item.type === "string" && isOurs(item.value as string) ? [index] : []))
  if (!list || !ours.length) return { text, changed: false, addedKey: false }
  if (options.removeEmptyKey && ours.length === items.length) {
    const properties = root.children!
    const index = properties.indexOf(list.parent!)
    const [from, to] = removalRange(properties, index)
    return { text: splice(text, from, to), changed: true, addedKey: false }
  }
  // One at a time, each on a fresh tree: every removal leaves the text valid for the next.
  let next = text
  for (let left = ours.length; left > 0; left--) {
    const current = pluginList(tree(next, file), file)!.children!
    const [from, to] = removalRange(current, current.findIndex((item) => item.type === "string" && isOurs(item.value as string)))
    next = splice(next, from, to)
  }
  return { text: next, changed: true, addedKey: false }
}

/** Whether a config text holds only what a fresh install wrote (so removing the install may remove the file). */
export function isEmptyConfig(text: string): boolean {
  return (tree(text, "the config").children ?? []).every((property) => property.children?.[0]?.value === "$schema")
}
