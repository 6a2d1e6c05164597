// A command line as the shell will run it, read with a real shell parser (mvdan/sh's, as the
// `mvdan-sh` package: bash syntax, synchronous, loaded on the first check, never at plugin start).
// What the command guard needs: every simple command in order, its words as far as they can be
// known before running (quotes, escapes, $'…', assignments made earlier, ${IFS}), what is piped
// into it, what it redirects, and the commands inside its substitutions.
import { createRequire } from "node:module"

/** Where a word's text came from, when that matters: the output of a download or a decoder. */
export type Taint = "download" | "decode"

export interface ShellWord {
  text: string
  /** Set when the word holds a command or process substitution whose commands download or decode. */
  taint?: Taint
  /** The scripts of its substitutions (each checked as a command line of its own). */
  inner: SimpleCommand[][]
}

export interface Redirect {
  /** ">", ">>", "<", "<<<", "<<", "&>" … */
  op: string
  target: ShellWord
}

export interface SimpleCommand {
  words: ShellWord[]
  redirects: Redirect[]
  /** The commands before it in its pipeline (their output is its input). */
  pipedFrom: SimpleCommand[]
  background: boolean
}

export interface ShellScript {
  commands: SimpleCommand[]
  /** Functions that call themselves twice, or once in the background or a pipe: a fork bomb's shape. */
  selfSpawning: string[]
}

interface Node {
  [key: string]: any
}
interface Syntax {
  NewParser(): { Parse(text: string, name: string): Node }
  NodeType(node: Node): string
  Walk(node: Node, visit: (node: Node | null) => boolean): void
}

let syntax: Syntax | undefined
function parser(): Syntax {
  syntax ??= (createRequire(import.meta.url)("mvdan-sh") as { syntax: Syntax }).syntax
  return syntax
}

// mvdan/sh's operator tokens.
const pipeOps = new Set([12, 13])
const redirectOps: Record<number, string> = { 54: ">", 55: ">>", 56: "<", 57: "<>", 59: ">&", 58: "<&", 60: ">|", 61: "<<", 62: "<<-", 63: "<<<", 64: "&>", 65: "&>>" }

/** `$'…'` escapes, and printf's and `echo -e`'s: \xHH, \NNN, \uHHHH, \n … */
export function decodeEscapes(text: string): string {
  const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" }
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|0?[0-7]{1,3}|.)/g, (match, code: string) => {
    if (/^[xuU]/.test(code)) return String.fromCodePoint(Number.parseInt(code.slice(1), 16))
    if (/^[0-7]/.test(code)) return String.fromCharCode(Number.parseInt(code, 8))
    return simple[code] ?? match
  })
}

/** Unquoted backslashes: `r\m` is rm. */
const unescape = (text: string) => text.replace(/\\(.)/gs, "$1")

export class ShellParseError extends Error {
  readonly name = "ShellParseError"
}

/** Reads `text` as bash does; throws ShellParseError where bash would refuse it too. */
export function parseShell(text: string, variables = new Map<string, string>([["HOME", "~"]])): ShellScript {
  const sh = parser()
  let file: Node
  try {
    file = sh.NewParser().Parse(text, "command")
  } catch (error) {
    throw new ShellParseError(String((error as { message?: string })?.message ?? error))
  }
  const script: ShellScript = { commands: [], selfSpawning: [] }
  const vars = new Map(variables)

  const wordOf = (word: Node | null | undefined, quoted = false): ShellWord[] => {
    if (!word) return []
    let text = ""
    let split = false
    let taint: Taint | undefined
    const inner: SimpleCommand[][] = []
    const substitution = (stmts: Node[], marker: string) => {
      const sub = readStatements(stmts)
      inner.push(sub.commands)
      taint ??= scriptTaint(sub.commands)
      const only = sub.commands.length === 1 ? sub.commands[0]!.words.map((w) => w.text) : []
      if (only[0] === "echo" || only[0] === "printf") return printed(only)
      if (only[0] === "pwd" && vars.has("PWD")) return vars.get("PWD")!
      return marker
    }
    const part = (node: Node, inQuotes: boolean): string => {
      switch (sh.NodeType(node)) {
        case "Lit":
          return inQuotes ? String(node.Value).replace(/\\([$`"\\\n])/g, "$1") : unescape(String(node.Value))
        case "SglQuoted":
          return node.Dollar ? decodeEscapes(String(node.Value)) : String(node.Value)
        case "DblQuoted":
          return (node.Parts as Node[]).map((p) => part(p, true)).join("")
        case "ParamExp": {
          const name = String(node.Param?.Value ?? "")
          const value = name === "IFS" ? " " : vars.get(name)
          if (value !== undefined && !node.Exp && !node.Slice && !node.Repl && !node.Length) {
            if (!inQuotes && /\s/.test(value)) split = true
            return value
          }
          if (node.Exp?.Word && value === undefined) return wordOf(node.Exp.Word, inQuotes).map((w) => w.text).join(" ")
          return `$${name}`
        }
        case "CmdSubst":
          return substitution(node.Stmts as Node[], "__substitution__")
        case "ProcSubst":
          return substitution(node.Stmts as Node[], "__process__")
        default:
          return "__expansion__"
      }
    }
    for (const node of (word.Parts ?? []) as Node[]) text += part(node, quoted)
    if (!split) return [{ text, taint, inner }]
    return text
      .split(/\s+/)
      .filter(Boolean)
      .map((piece, index) => ({ text: piece, taint, inner: index === 0 ? inner : [] }))
  }

  const readStatements = (stmts: Node[]): { commands: SimpleCommand[] } => {
    const commands: SimpleCommand[] = []
    for (const stmt of stmts ?? []) readStatement(stmt, commands, [])
    return { commands }
  }

  const readStatement = (stmt: Node, out: SimpleCommand[], pipedFrom: SimpleCommand[]): SimpleCommand[] => {
    const cmd = stmt.Cmd as Node | null
    const redirects = ((stmt.Redirs ?? []) as Node[]).map((redirect) => ({ op: redirectOps[redirect.Op as number] ?? "?", target: wordOf(redirect.Word)[0] ?? { text: "", inner: [] } }))
    if (!cmd) {
      // Redirections alone (`> file`): a command with no words.
      if (!redirects.length) return []
      const bare: SimpleCommand = { words: [], redirects, pipedFrom, background: Boolean(stmt.Background) }
      out.push(bare)
      return [bare]
    }
    const type = sh.NodeType(cmd)
    if (type === "CallExpr") {
      for (const assign of (cmd.Assigns ?? []) as Node[]) {
        const value = assign.Value ? wordOf(assign.Value).map((w) => w.text).join(" ") : ""
        if (assign.Name?.Value) vars.set(String(assign.Name.Value), value)
      }
      const words = ((cmd.Args ?? []) as Node[]).flatMap((arg) => wordOf(arg))
      if (!words.length && !redirects.length) return []
      const simple: SimpleCommand = { words, redirects, pipedFrom, background: Boolean(stmt.Background) }
      out.push(simple)
      return [simple]
    }
    if (type === "BinaryCmd") {
      if (pipeOps.has(cmd.Op as number)) {
        const left = readStatement(cmd.X, out, pipedFrom)
        return [...left, ...readStatement(cmd.Y, out, [...pipedFrom, ...left])]
      }
      readStatement(cmd.X, out, [])
      readStatement(cmd.Y, out, [])
      return []
    }
    if (type === "DeclClause") {
      for (const assign of (cmd.Args ?? []) as Node[])
        if (assign.Name?.Value) vars.set(String(assign.Name.Value), assign.Value ? wordOf(assign.Value).map((w) => w.text).join(" ") : "")
      return []
    }
    if (type === "FuncDecl") {
      const name = String(cmd.Name?.Value ?? "")
      const body: SimpleCommand[] = []
      readStatement(cmd.Body, body, [])
      const calls = body.filter((c) => c.words[0]?.text === name)
      if (calls.length >= 2 || calls.some((c) => c.background || c.pipedFrom.length || body.some((other) => other.pipedFrom.includes(c)))) script.selfSpawning.push(name)
      out.push(...body)
      return []
    }
    if (type === "TimeClause" || type === "CoprocClause") return cmd.Stmt ? readStatement(cmd.Stmt, out, pipedFrom) : []
    // Subshells, blocks, if/while/for/case: every statement inside, in order.
    sh.Walk(cmd, (node) => {
      if (!node || node === cmd) return true
      if (sh.NodeType(node) === "Stmt") {
        readStatement(node, out, [])
        return false
      }
      return true
    })
    return []
  }

  script.commands = readStatements(file.Stmts as Node[]).commands
  return script
}

/** What `echo …` or `printf …` prints (escapes decoded for printf and echo -e). */
export function printed(words: string[]): string {
  const [name, ...rest] = words
  let args = rest
  let escapes = name === "printf"
  while (name === "echo" && args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes("e")) escapes = true
    args = args.slice(1)
  }
  if (name === "printf" && args[0] === "--") args = args.slice(1)
  const text = name === "printf" ? (args[0] ?? "").replace(/%s/g, () => args.splice(1, 1)[0] ?? "") : args.join(" ")
  return escapes ? decodeEscapes(text) : text
}

const downloaders = new Set(["curl", "wget", "fetch", "aria2c", "nc", "ncat", "netcat", "socat", "http", "https", "lynx", "links"])

/** The program a simple command runs (a path's last part). */
export const programName = (word: string | undefined) => (word ?? "").replace(/^.*\//, "")

/** True when the command decodes its input into text (base64 -d, xxd -r, openssl … -d, uudecode). */
export function isDecoder(words: string[]): boolean {
  const [name, ...args] = words
  const program = programName(name)
  if (program === "base64" || program === "base32" || program === "basenc") return args.some((arg) => /^-[a-zA-Z]*d|^--decode$/.test(arg))
  if (program === "xxd") return args.some((arg) => /^-[a-zA-Z]*r/.test(arg))
  if (program === "openssl") return args.includes("-d") || args.includes("-base64") || args.includes("base64")
  return program === "uudecode" || program === "rev"
}

export const isDownloader = (words: string[]) => downloaders.has(programName(words[0]))

/** Wrappers that run the command after them: how many of their own arguments to skip, and which options take a value. */
const wrappers: Record<string, { valued: string[]; positional?: number }> = {
  sudo: { valued: ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group"] },
  doas: { valued: ["-u", "-C"] },
  env: { valued: ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"] },
  nice: { valued: ["-n", "--adjustment"] },
  ionice: { valued: ["-c", "-n", "-p", "--class", "--classdata"] },
  chrt: { valued: [], positional: 1 },
  timeout: { valued: ["-k", "-s", "--kill-after", "--signal"], positional: 1 },
  stdbuf: { valued: ["-i", "-o", "-e"] },
  nohup: { valued: [] },
  time: { valued: ["-f", "-o"] },
  command: { valued: [] },
  builtin: { valued: [] },
  exec: { valued: ["-a"] },
  setsid: { valued: [] },
  unbuffer: { valued: [] },
  flock: { valued: ["-w", "-E"], positional: 1 },
  xargs: { valued: ["-I", "-i", "-n", "-P", "-L", "-l", "-d", "-E", "-e", "-s", "-a", "--arg-file", "--delimiter", "--max-args", "--max-procs"] },
  watch: { valued: ["-n", "-d", "--interval"] },
  strace: { valued: ["-e", "-o", "-p", "-s"] },
  busybox: { valued: [] },
}

/** The command itself: wrappers such as sudo, env, timeout or xargs dropped (with their options), and `env`'s NAME=value. */
export function commandArgv(argv: string[]): string[] {
  let words = argv
  for (let round = 0; round < 10 && words.length; round++) {
    const wrapper = wrappers[programName(words[0])]
    if (!wrapper) break
    if (programName(words[0]) === "busybox" && words[1] && !words[1].startsWith("-")) return [words[1], ...words.slice(2)]
    let index = 1
    while (index < words.length) {
      const word = words[index]!
      if (word === "--") {
        index++
        break
      }
      if (wrapper.valued.includes(word)) index += 2
      else if (word.startsWith("-") && word.length > 1) index++
      else if (programName(words[0]) === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) index++
      else break
    }
    // `env -S 'rm -rf /'` splits its argument into the command.
    const split = programName(words[0]) === "env" ? words.findIndex((word) => word === "-S" || word === "--split-string") : -1
    if (split >= 0 && words[split + 1]) return words[split + 1]!.split(/\s+/).filter(Boolean)
    words = words.slice(index + (wrapper.positional ?? 0))
  }
  return words
}

/** Whether commands (in a substitution) produce downloaded or decoded text. */
function scriptTaint(commands: SimpleCommand[]): Taint | undefined {
  for (const command of commands) {
    const words = commandArgv(command.words.map((w) => w.text))
    if (isDownloader(words)) return "download"
    if (isDecoder(words)) return "decode"
    for (const word of command.words) if (word.taint) return word.taint
  }
  return undefined
}
