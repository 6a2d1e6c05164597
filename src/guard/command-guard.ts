/**
 * A safety net for the shell commands our workers run: a few commands that destroy a machine, a
 * repository or the user's work are refused, also when hidden behind quoting, `bash -c`, `eval`,
 * `$(echo …)`, variables or extra spaces. It reads text; it is not a sandbox.
 */

export interface GuardContext {
  /** The directory the command runs in. */
  directory: string
  /** True when that directory is the user's own checkout (no worktree between them). */
  userCheckout: boolean
}

/** Characters that end a word; with "&&", "||", "|&" and the words "{" and "}", what separates commands. */
const operatorChars = new Set([";", "&", "|", "\n", "(", ")"])
const operators = new Set([...operatorChars, "&&", "||", "|&", "{", "}"])
const shells = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish"])
const prefixes = new Set(["sudo", "doas", "env", "nohup", "time", "command", "exec", "nice", "builtin", "xargs"])

/** Splits a command line into words and operators: quotes removed, escapes resolved. */
export function shellWords(text: string): string[] {
  const words: string[] = []
  let word = ""
  let quoted = false
  const flush = () => {
    if (word || quoted) words.push(word)
    word = ""
    quoted = false
  }
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (char === "\\" && i + 1 < text.length) {
      if (text[i + 1] !== "\n") word += text[i + 1]
      i++
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1)
      word += text.slice(i + 1, end < 0 ? undefined : end)
      quoted = true
      i = end < 0 ? text.length : end
    } else if (char === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length) j++
        word += text[j]
        j++
      }
      quoted = true
      i = j
    } else if (char === " " || char === "\t") flush()
    else if (operatorChars.has(char)) {
      flush()
      const two = text.slice(i, i + 2)
      if (two === "&&" || two === "||" || two === "|&") {
        words.push(two)
        i++
      } else words.push(char)
    } else word += char
  }
  flush()
  return words
}

/** `$(…)` and backticks: their inner commands, and the text with `$(echo x)` replaced by x. */
function substitutions(text: string): { inner: string[]; text: string } {
  const inner: string[] = []
  let result = text.replace(/`([^`]*)`/g, (_match, body: string) => {
    inner.push(body)
    return echoed(body) ?? "__substitution__"
  })
  // Innermost first, repeatedly, so nested substitutions unwrap.
  for (let round = 0; round < 10; round++) {
    const next = result.replace(/\$\(([^()]*)\)/g, (_match, body: string) => {
      inner.push(body)
      return echoed(body) ?? "__substitution__"
    })
    if (next === result) break
    result = next
  }
  return { inner, text: result }
}

function echoed(command: string): string | undefined {
  const words = shellWords(command.trim())
  return (words[0] === "echo" || words[0] === "printf") && words.length > 1 ? words.slice(words[1] === "-n" ? 2 : 1).join(" ") : undefined
}

/** Resolves `NAME=value` assignments made in the text, and HOME, in every word. */
function expandVariables(words: string[]): string[] {
  const values = new Map<string, string>([["HOME", "~"]])
  for (const word of words) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word)
    if (assignment) values.set(assignment[1]!, assignment[2]!)
  }
  return words.map((word) => word.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (match, name: string) => values.get(name) ?? match))
}

/** Simple commands (words between operators), each with the command piped into it, if any. */
function simpleCommands(words: string[]): Array<{ words: string[]; pipedFrom?: string[] }> {
  const commands: Array<{ words: string[]; pipedFrom?: string[] }> = []
  let current: string[] = []
  let pipeSource: string[] | undefined
  for (const word of words) {
    if (!operators.has(word)) {
      current.push(word)
      continue
    }
    if (current.length) commands.push({ words: current, pipedFrom: pipeSource })
    pipeSource = (word === "|" || word === "|&") && current.length ? current : undefined
    current = []
  }
  if (current.length) commands.push({ words: current, pipedFrom: pipeSource })
  return commands
}

/** The command itself: assignments and wrappers such as sudo, env or xargs dropped. */
function commandWords(words: string[]): string[] {
  let index = 0
  while (index < words.length) {
    const word = words[index]!
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word === "export") index++
    else if (prefixes.has(word)) {
      index++
      while (index < words.length && words[index]!.startsWith("-")) index++
    } else break
  }
  return words.slice(index).map((word, position) => (position === 0 ? word.replace(/^.*\//, "") : word))
}

function flags(words: string[]): string {
  return words.filter((word) => /^-[A-Za-z]+$/.test(word)).map((word) => word.slice(1)).join("")
}

function isVitalPath(target: string, context: GuardContext): boolean {
  const cleaned = target.replace(/\/+$/, "") || "/"
  if (["/", "/*", "~", "~/*", "*", ".", "./*", "..", "../*", ".*"].includes(cleaned)) return true
  if (/(^|\/)\.git$/.test(cleaned)) return true
  if (cleaned === context.directory.replace(/\/+$/, "") || cleaned === `${context.directory.replace(/\/+$/, "")}/*`) return true
  // A top-level system folder (/usr, /etc, /home …) or the home folder's own entries.
  return /^\/[^/]+$/.test(cleaned) || (/^~\/?[^/]*$/.test(cleaned) && !cleaned.includes("."))
}

function checkSimple(words: string[], pipedFrom: string[] | undefined, context: GuardContext, depth: number): string | undefined {
  const [name, ...args] = commandWords(words)
  if (!name) return undefined
  if (shells.has(name) && pipedFrom && ["curl", "wget"].includes(commandWords(pipedFrom)[0] ?? "")) return "piping a download into a shell"
  if (name === "rm") {
    const recursive = /[rR]/.test(flags(args)) || args.includes("--recursive")
    const target = args.find((arg) => !arg.startsWith("-") && isVitalPath(arg, context))
    if (recursive && target) return `recursive rm of ${target}`
  }
  if (name === "chmod" || name === "chown") {
    const recursive = /R/.test(flags(args)) || args.includes("--recursive")
    const target = args.find((arg) => !arg.startsWith("-") && arg.startsWith("/") && isVitalPath(arg, context))
    if (recursive && target) return `recursive ${name} of ${target}`
  }
  if (/^mkfs(\.|$)/.test(name)) return "formatting a file system"
  if (name === "dd" && args.some((arg) => /^of=\/dev\//.test(arg))) return "dd onto a device"
  if (name === "git") {
    const sub = args.find((arg) => !arg.startsWith("-"))
    if (sub === "push" && args.some((arg) => arg === "--force" || arg === "-f" || /^\+/.test(arg) || /^-[a-zA-Z]*f/.test(arg))) return "git push --force"
    if (context.userCheckout && sub === "reset" && args.includes("--hard")) return "git reset --hard in your checkout"
    if (context.userCheckout && sub === "clean" && /f/.test(flags(args))) return "git clean in your checkout"
  }
  if (shells.has(name) && args[0] === "-c" && args[1] !== undefined) return dangerousCommand(args[1], context, depth + 1)
  if (name === "eval") return dangerousCommand(args.join(" "), context, depth + 1)
  return undefined
}

const forkBomb = /([A-Za-z_:][A-Za-z0-9_:]*)\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&?\s*;?\s*\}\s*;?\s*\1/

/** Why a command line must not run, or undefined when the guard sees nothing destructive. */
export function dangerousCommand(command: string, context: GuardContext, depth = 0): string | undefined {
  if (depth > 8) return "command nested too deeply to check"
  const flat = command.replace(/\\\n/g, " ")
  if (forkBomb.test(flat.replace(/\s+/g, " "))) return "a fork bomb"
  if (/\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b/.test(flat)) return "piping a download into a shell"
  if (/\b(ba|z|da|k)?sh\s+<\(\s*(curl|wget)\b/.test(flat)) return "running a download in a shell"
  const { inner, text } = substitutions(flat)
  for (const body of inner) {
    const reason = dangerousCommand(body, context, depth + 1)
    if (reason) return reason
  }
  if (/\b(ba|z|da|k)?sh\s+-c\s+["']?__substitution__/.test(text) && inner.some((body) => /\b(curl|wget)\b/.test(body))) return "running a download in a shell"
  const words = expandVariables(shellWords(text))
  for (const { words: simple, pipedFrom } of simpleCommands(words)) {
    const reason = checkSimple(simple, pipedFrom, context, depth)
    if (reason) return reason
  }
  return undefined
}
