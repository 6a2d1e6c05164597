/**
 * The forms a secret's value takes once a program has handled it: base64 (at any offset inside a
 * longer base64 text), hex, URL-encoded, JSON-escaped. Each is a substring that appears whenever
 * the value was encoded that way, so replacing it leaves nothing to decode.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8")
  const forms = new Set<string>([JSON.stringify(value).slice(1, -1), encodeURIComponent(value), bytes.toString("hex"), bytes.toString("hex").toUpperCase()])
  for (let offset = 0; offset < 3; offset++) {
    // The value after `offset` other bytes: the characters that depend on the value alone.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64")
    const start = Math.ceil((offset * 8) / 6)
    const stable = ((offset + bytes.length) % 3 === 0 ? encoded : encoded.slice(0, Math.floor(((offset + bytes.length) * 8) / 6))).slice(start)
    for (const form of [stable, stable.replaceAll("+", "-").replaceAll("/", "_")]) if (form.length >= 8) forms.add(form)
  }
  forms.delete(value)
  return [...forms].filter((form) => form.length >= Math.min(8, value.length))
}

/** A pattern that finds `value` split across lines (wrapped output, a PEM body, a diff's line breaks). */
export function lineSplitPattern(value: string): RegExp | undefined {
  if (value.length < 12) return undefined
  const escaped = [...value].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
  return new RegExp(escaped.join("(?:\\r?\\n[ \\t>+-]*)?"), "g")
}
