import { readFileSync } from "node:fs"
import path from "node:path"
import type { Redactor } from "./redactor.js"
import { isSecretVariable } from "./secret-patterns.js"

/** `KEY=value` lines of a dotenv file (export, quotes and comments handled). */
export function dotenvValues(text: string): Array<[string, string]> {
  const values: Array<[string, string]> = []
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match) continue
    let value = match[2]!
    const quoted = /^(["'`])(.*)\1$/s.exec(value)
    value = quoted ? quoted[2]! : value.replace(/\s+#.*$/, "")
    if (value) values.push([match[1]!, value])
  }
  return values
}

/**
 * Teaches the redactor the values in the dotenv files among `copied` (paths in `directory`): those
 * of secret-looking keys, and any other value of 12 characters or more that is one word (a short
 * PORT=3000 or NODE_ENV=test stays, so the text around it is not garbled). Never throws.
 */
export function learnFileSecrets(redactor: Redactor, directory: string, copied: string[]): void {
  for (const file of copied) {
    if (!/(^|\/)\.env(\.|$)/.test(file) && !file.endsWith(".env")) continue
    let text: string
    try {
      text = readFileSync(path.join(directory, file), "utf8")
    } catch {
      continue
    }
    for (const [key, value] of dotenvValues(text)) if (isSecretVariable(key, value) || (value.length >= 12 && !/\s/.test(value))) redactor.learn(value, `${key} from ${file}`)
  }
}
