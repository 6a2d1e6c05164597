// A diff that fits a token budget: the stat of everything, then whole hunks in order of relevance
// to the task (its files, the files its worker touched, the words of its title and acceptance
// criteria), then the rest named with the command that reads it. Nothing is cut without a word.
import type { CountTokens } from "./token-count.js"

export interface DiffRelevance {
  /** Planned files: the strongest signal. */
  files: string[]
  /** Files the worker wrote. */
  touched: string[]
  /** Title and acceptance criteria: hunks that use their words rank higher. */
  words: string
}

interface Hunk {
  file: string
  text: string
  order: number
  score: number
}

interface FileDiff {
  file: string
  header: string
  added: number
  removed: number
  hunks: Hunk[]
}

export interface BoundedDiff {
  text: string
  shownHunks: number
  totalHunks: number
  /** Files with hunks left out (whole or in part). */
  omittedFiles: string[]
}

const ignoredWords = new Set(["that", "this", "with", "from", "have", "must", "should", "when", "then", "into", "each", "every", "passes", "pass", "test", "tests", "file", "files"])

function wordsOf(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[a-z_][a-z0-9_]{3,}/g) ?? [])].filter((word) => !ignoredWords.has(word))
}

function parse(diff: string): FileDiff[] {
  const sections = diff.split(/^(?=diff --git )/m).filter((section) => section.startsWith("diff --git "))
  return sections.map((section) => {
    const lines = section.replace(/\n$/, "").split("\n")
    const firstHunk = lines.findIndex((line) => line.startsWith("@@"))
    const headerLines = firstHunk < 0 ? lines : lines.slice(0, firstHunk)
    const plus = headerLines.find((line) => line.startsWith("+++ "))
    const named = plus && plus !== "+++ /dev/null" ? plus.slice(4).replace(/^b\//, "") : (headerLines[0]!.match(/^diff --git a\/(.*) b\//)?.[1] ?? headerLines[0]!)
    const hunks: Hunk[] = []
    let added = 0
    let removed = 0
    if (firstHunk >= 0)
      for (let index = firstHunk; index < lines.length; ) {
        let end = index + 1
        while (end < lines.length && !lines[end]!.startsWith("@@")) end++
        const body = lines.slice(index, end)
        for (const line of body.slice(1)) {
          if (line.startsWith("+")) added++
          else if (line.startsWith("-")) removed++
        }
        hunks.push({ file: named, text: body.join("\n"), order: 0, score: 0 })
        index = end
      }
    return { file: named, header: headerLines.join("\n"), added, removed, hunks }
  })
}

function score(hunk: Hunk, relevance: DiffRelevance, words: string[]): number {
  const text = hunk.text.toLowerCase()
  const used = words.filter((word) => text.includes(word)).length
  return (relevance.files.includes(hunk.file) ? 4 : 0) + (relevance.touched.includes(hunk.file) ? 2 : 0) + Math.min(5, used)
}

/**
 * `readCommand(file)`: the command that shows a file's whole diff (e.g. `git diff <base> HEAD -- <file>`).
 * The result is at most `budget` tokens by `count`.
 */
export function boundDiff(diff: string, relevance: DiffRelevance, budget: number, count: CountTokens, readCommand: (file: string) => string): BoundedDiff {
  const files = parse(diff)
  if (!files.length) {
    const text = diff.trim() || "(no changes)"
    return count(text) <= budget ? { text, shownHunks: 0, totalHunks: 0, omittedFiles: [] } : { text: "(the diff could not be read as a unified diff, and is too long to show)", shownHunks: 0, totalHunks: 0, omittedFiles: [] }
  }
  const words = wordsOf(relevance.words)
  const hunks = files.flatMap((file) => file.hunks)
  hunks.forEach((hunk, order) => Object.assign(hunk, { order, score: score(hunk, relevance, words) }))

  // The stat: every file while it fits a quarter of the budget, then how many more.
  const statLines: string[] = []
  let statTokens = count(`Changed: ${files.length} files`)
  for (const [index, file] of files.entries()) {
    const entry = ` ${file.file} | +${file.added} -${file.removed}`
    const cost = count(entry) + 1
    if (statTokens + cost > budget / 4) {
      statLines.push(` … and ${files.length - index} more files`)
      break
    }
    statLines.push(entry)
    statTokens += cost
  }
  const totals = files.reduce((sum, file) => ({ added: sum.added + file.added, removed: sum.removed + file.removed }), { added: 0, removed: 0 })
  const stat = [`Changed: ${files.length} file${files.length === 1 ? "" : "s"}, +${totals.added} -${totals.removed}`, ...statLines].join("\n")

  const ranked = [...hunks].sort((a, b) => b.score - a.score || a.order - b.order)
  const omittedNote = (names: string[]) => {
    const listed = names.length > 40 ? [...names.slice(0, 40), `and ${names.length - 40} more files`] : names
    return listed.length ? `\nNot shown for lack of room: ${listed.join(", ")}. Read each with: ${readCommand("<file>")}` : ""
  }
  // Room kept for naming what is left out: the longest such line this diff can need.
  const reserve = Math.min(count(omittedNote(files.map((file) => file.file))), Math.floor(budget / 4))
  let used = count(stat) + count("\n\nHunks, most relevant first:\n") + reserve
  const shown: Hunk[] = []
  const headerShown = new Set<string>()
  const partial = new Set<string>()
  const parts: string[] = []
  const headers = new Map(files.map((file) => [file.file, file.header]))
  for (const hunk of ranked) {
    const header = headerShown.has(hunk.file) ? "" : `${headers.get(hunk.file)}\n`
    const cost = count(header + hunk.text) + 1
    if (used + cost <= budget) {
      parts.push(header + hunk.text)
      headerShown.add(hunk.file)
      shown.push(hunk)
      used += cost
      continue
    }
    // The first hunk that does not fit while much room is left: its head, marked as cut.
    const room = budget - used - count(header) - 30
    if (room > budget / 4) {
      const lines = hunk.text.split("\n")
      // A first guess in proportion, then shrunk until it fits.
      let kept = Math.max(1, Math.floor((lines.length * room) / (cost + 1)))
      while (kept > 1 && count(lines.slice(0, kept).join("\n")) > room) kept = Math.floor(kept * 0.8)
      const cut = `${header}${lines.slice(0, kept).join("\n")}\n… (hunk cut after ${kept} of ${lines.length} lines)`
      parts.push(cut)
      headerShown.add(hunk.file)
      used += count(cut) + 1
    }
    partial.add(hunk.file)
  }
  const omittedFiles = files.map((file) => file.file).filter((file) => partial.has(file))
  const text = `${stat}\n\nHunks, most relevant first:\n${parts.join("\n")}${omittedNote(omittedFiles)}`
  return { text, shownHunks: shown.length, totalHunks: hunks.length, omittedFiles }
}
