/**
 * The changed lines between two texts, as `-`/`+` lines with a line of context either side.
 * Config edits change one region, so trimming the common start and end finds it exactly.
 */
export function lineDiff(before: string, after: string, context = 1): string {
  if (before === after) return ""
  const a = before.split("\n")
  const b = after.split("\n")
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  const from = Math.max(0, start - context)
  const lines = [
    `@@ line ${from + 1} @@`,
    ...a.slice(from, start).map((line) => `  ${line}`),
    ...a.slice(start, a.length - end).map((line) => `- ${line}`),
    ...b.slice(start, b.length - end).map((line) => `+ ${line}`),
    ...a.slice(a.length - end, Math.min(a.length, a.length - end + context)).map((line) => `  ${line}`),
  ]
  return lines.join("\n")
}
