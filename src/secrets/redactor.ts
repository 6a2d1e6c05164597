// Secrets never reach a mission's files (journal, TODO.md, report.md) or the prompts built from
// its state: every string the mission records passes through here first.
import { encodedForms, lineSplitPattern } from "./encodings.js"
import { isSecretVariable, secretShapes, urlCredentials } from "./secret-patterns.js"

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Shorter values are not redacted: replacing three letters everywhere would garble the text, and they guard little. */
export const minSecretLength = 4

interface Known {
  label: string
  value: string
  forms: string[]
  split?: RegExp
}

/**
 * Replaces secrets with `[redacted NAME]`: the values of secret-looking environment variables and
 * of files such as `.env` (raw, base64, hex, URL-encoded, JSON-escaped, split across lines),
 * values learned from a scan, and the shapes in secret-patterns.ts. Never throws.
 */
export class Redactor {
  private known: Known[] = []

  constructor(env: Record<string, string | undefined> = process.env) {
    for (const [name, value] of Object.entries(env)) if (typeof value === "string" && isSecretVariable(name, value)) this.learn(value, name)
  }

  /** Redacts `value` (and its encodings) from now on, named `label`; a URL's password also on its own. */
  learn(value: string, label: string): void {
    for (const match of value.matchAll(new RegExp(urlCredentials.source, "gi"))) this.learnValue(decodeURIComponentSafely(match[2]!), `${label} password`)
    this.learnValue(value, label)
  }

  private learnValue(value: string, label: string): void {
    if (value.length < minSecretLength || this.known.some((known) => known.value === value)) return
    this.known.push({ label, value, forms: encodedForms(value), split: lineSplitPattern(value) })
    // Longest first, so a secret that contains another is removed whole.
    this.known.sort((a, b) => b.value.length - a.value.length)
  }

  /** The text with every known secret and every secret shape replaced. */
  redact(text: string): string {
    let result = text
    for (const known of this.known) {
      const marker = `[redacted ${known.label}]`
      result = result.replaceAll(known.value, marker)
      for (const form of known.forms) result = result.replaceAll(form, marker)
      if (known.split) result = result.replace(known.split, marker)
    }
    for (const shape of secretShapes) {
      shape.pattern.lastIndex = 0
      result = result.replace(shape.pattern, (match, ...groups: unknown[]) => (shape.keep ? shape.keep(match, ...(groups.slice(0, -2) as string[])) : `[redacted ${shape.label}]`))
    }
    return result
  }

  /** `value` with every string in it redacted (object keys too): how events are redacted, so no escape can break them. */
  redactDeep<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item)) as T
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.redact(key), this.redactDeep(item)])) as T
    return value
  }
}
