/**
 * The first line in front of the sandbox: a few commands that destroy a machine, a repository or
 * the user's work, or run what was downloaded, are refused with a reason the model gets at once.
 * The command is read by a real shell parser (shell-syntax.ts), so quoting, escapes, $'…',
 * variables, ${IFS}, wrappers (env, sudo, timeout, xargs …), substitutions and pipelines do not
 * hide it. It reads text, and so it can be got round: the sandbox is the boundary.
 */
import { commandArgv, isDecoder, isDownloader, parseShell, printed, programName, ShellParseError, type ShellWord, type SimpleCommand } from "./shell-syntax.js"

export interface GuardContext {
  /** The directory the command runs in. */
  directory: string
  /** True when that directory is the user's own checkout (no worktree between them). */
  userCheckout: boolean
}

const shells = new Set(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "busybox"])
const interpreters = new Set(["python", "python2", "python3", "perl", "ruby", "node", "nodejs", "php", "lua", "bun", "deno", "tclsh", "Rscript"])
const sources = new Set(["source", "."])

const texts = (words: ShellWord[]) => words.map((word) => word.text)

function flags(words: string[]): string {
  return words.filter((word) => /^-[A-Za-z]+$/.test(word)).map((word) => word.slice(1)).join("")
}

function isVitalPath(target: string, context: GuardContext, inSubfolder: boolean): boolean {
  let cleaned = target
  // `/usr/*`, `/usr/.` and `/usr/` are /usr.
  for (let previous = ""; previous !== cleaned; ) {
    previous = cleaned
    cleaned = cleaned.replace(/\/+$/, "").replace(/\/(\*|\.)$/, "")
  }
  cleaned ||= "/"
  if (["/", "/*", "~", "~/*", "..", "../*"].includes(cleaned) || /^\.\.\//.test(cleaned)) return true
  // The task's own folder: `*` or `.` there, unless a `cd` into a subfolder came first.
  if (!inSubfolder && ["*", ".", "./*", ".*"].includes(cleaned)) return true
  if (/(^|\/)\.git$/.test(cleaned)) return true
  if (cleaned === context.directory.replace(/\/+$/, "") || cleaned === `${context.directory.replace(/\/+$/, "")}/*`) return true
  // A top-level system folder (/usr, /etc, /home …) or the home folder's own entries.
  return /^\/[^/]+$/.test(cleaned) || /^~\/[^/]+$/.test(cleaned)
}

/** git's global options before its subcommand: -C and --git-dir/--work-tree point it elsewhere; -c sets config. */
function gitParts(args: string[]): { sub?: string; rest: string[]; elsewhere?: string; config: string[] } {
  const config: string[] = []
  let elsewhere: string | undefined
  let index = 0
  while (index < args.length) {
    const arg = args[index]!
    if (arg === "-C" || arg === "--git-dir" || arg === "--work-tree" || arg === "--namespace") {
      if (arg !== "--namespace") elsewhere = args[index + 1]
      index += 2
    } else if (arg === "-c") {
      config.push(args[index + 1] ?? "")
      index += 2
    } else if (/^--(git-dir|work-tree)=/.test(arg)) {
      elsewhere = arg.split("=")[1]
      index++
    } else if (arg.startsWith("-")) index++
    else break
  }
  return { sub: args[index], rest: args.slice(index + 1), elsewhere, config }
}

/** Config keys whose value git runs as a program. */
const executableConfig = /^(alias\.[^=]*=\s*!|core\.(fsmonitor|hookspath|sshcommand|pager|editor|askpass)=|diff\.[^=]*\.(textconv|command)=|filter\.[^=]*\.(clean|smudge|process)=|credential\.helper=|gpg\.program=|sequence\.editor=|uploadpack\.packobjectshook=)/i

function checkGit(args: string[], context: GuardContext): string | undefined {
  const { sub, rest, elsewhere, config } = gitParts(args)
  if (config.some((entry) => executableConfig.test(entry))) return "git -c that runs a program"
  if (sub === "push" && rest.some((arg) => /^--(force|force-with-lease|force-if-includes|mirror)(=|$)/.test(arg) || /^-[a-zA-Z]*f/.test(arg) || /^\+/.test(arg) || /^[^-].*:\+/.test(arg)))
    return "git push --force"
  if (sub === "push" && rest.some((arg) => arg === "--delete" || arg === "-d" || /^:[^:]+$/.test(arg))) return "git push deleting a remote branch"
  if (sub === "branch" && rest.some((arg) => /^-[a-zA-Z]*D/.test(arg) || arg === "--delete" || /^-[a-zA-Z]*d/.test(arg))) return "git branch deletion"
  if ((sub === "reflog" && rest[0] === "expire") || sub === "filter-branch" || sub === "filter-repo" || (sub === "update-ref" && rest.includes("-d"))) return `git ${sub} rewriting history`
  if (sub === "config" && rest.some((arg) => /^(core\.(fsmonitor|hookspath|sshcommand|pager)|alias\.|filter\.|diff\..*\.textconv|credential\.helper)/i.test(arg))) return "git config of a setting that runs a program"
  // In the user's checkout, or pointed at another tree: what throws work away.
  const theirs = context.userCheckout || (elsewhere !== undefined && elsewhere !== "." && elsewhere !== context.directory)
  if (theirs && sub === "reset" && rest.includes("--hard")) return `git reset --hard in ${context.userCheckout ? "your checkout" : elsewhere}`
  if (theirs && sub === "clean" && /f/.test(flags(rest))) return `git clean in ${context.userCheckout ? "your checkout" : elsewhere}`
  if (theirs && (sub === "checkout" || sub === "restore") && rest.some((arg) => arg === "--" || arg === "." || arg === "-f" || arg === "--force")) return `git ${sub} over the files in ${context.userCheckout ? "your checkout" : elsewhere}`
  return undefined
}

/** True when a shell or interpreter runs what comes in on its standard input. */
function readsProgramFromInput(argv: string[]): boolean {
  const [name, ...args] = argv
  const program = programName(name)
  if (shells.has(program)) return !args.some((arg) => !arg.startsWith("-") || arg === "-c") || args.includes("-s") || args.includes("-")
  if (interpreters.has(program)) return args.every((arg) => arg.startsWith("-")) && !args.some((arg) => ["-c", "-e", "-E", "--eval", "-r", "-p", "--print"].includes(arg)) || args.includes("-")
  return false
}

const runsCode = (program: string) => shells.has(program) || interpreters.has(program) || sources.has(program) || program === "eval"

interface Walk {
  context: GuardContext
  depth: number
  /** Files a download wrote in this command line. */
  downloaded: Set<string>
  /** A `cd` into a subfolder came first: `*` and `.` are no longer the task's whole folder. */
  inSubfolder: boolean
  /** The line opened a network connection through /dev/tcp or /dev/udp. */
  netFd?: boolean
}

/** Files the shell runs at every login or start: writing them outlives the task. */
function isStartupFile(file: string): boolean {
  return /^(~|\$HOME)\/\.(bashrc|bash_profile|bash_login|profile|zshrc|zshenv|zprofile|zlogin|kshrc|config\/fish\/|ssh\/)/.test(file) || /^\/etc\//.test(file)
}

/**
 * The code given to an interpreter with -c/-e: its string literals that read as shell commands
 * (what system(), os.system, subprocess, exec and backticks would run), and the recursive removes
 * of a vital folder its libraries offer (shutil.rmtree, fs.rmSync, FileUtils.rm_rf, rmtree).
 */
function interpreterCode(code: string, context: GuardContext, walk: Walk): string | undefined {
  const literals = [...code.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? "")
  for (const literal of literals) {
    const reason = dangerousCommand(literal, context, walk.depth + 1)
    if (reason) return reason
  }
  const removal = /\b(rmtree|rmSync|rm_rf|rm_r|remove_dir_all|rmdirSync|rimraf)\s*\(\s*["'`]([^"'`]+)["'`]/.exec(code)
  if (removal && isVitalPath(removal[2]!, context, walk.inSubfolder)) return `recursive removal of ${removal[2]} in ${removal[1]}`
  return undefined
}

/** The file a downloader writes, if it names one (curl -o/-O, wget -O or a URL's last part, a `>` redirect). */
function downloadTargets(command: SimpleCommand, argv: string[]): string[] {
  const [name, ...args] = argv
  const targets: string[] = []
  const url = args.find((arg) => /^[a-z]+:\/\//i.test(arg))
  const wget = programName(name) === "wget"
  const remoteName = () => url && targets.push(url.replace(/[?#].*$/, "").replace(/^.*\//, ""))
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!
    // Short options run together (-sSLO, -qO-, -so f): the one that names the output ends the cluster or takes the next word.
    const cluster = /^-([a-zA-Z]{2,})$/.exec(arg)?.[1]
    if (cluster) {
      const output = wget ? "O" : "o"
      if (cluster.endsWith(output)) targets.push(args[index + 1] ?? "")
      else if (cluster.includes(output)) targets.push(cluster.slice(cluster.indexOf(output) + 1))
      if (!wget && cluster.includes("O")) remoteName()
      continue
    }
    if (arg === "-o" || arg === "--output" || (wget && (arg === "-O" || arg === "--output-document"))) targets.push(args[index + 1] ?? "")
    else if (/^--output(-document)?=/.test(arg)) targets.push(arg.split("=")[1]!)
    else if ((arg === "-O" || arg === "--remote-name") && url) targets.push(url.replace(/[?#].*$/, "").replace(/^.*\//, ""))
  }
  if (programName(name) === "wget" && !targets.length && url) targets.push(url.replace(/[?#].*$/, "").replace(/^.*\//, "") || "index.html")
  for (const redirect of command.redirects) if (redirect.op === ">" || redirect.op === ">>" || redirect.op === "&>" || redirect.op === ">|") targets.push(redirect.target.text)
  return targets.filter((file) => file && file !== "-").map((file) => file.replace(/^\.\//, ""))
}

function checkCommand(command: SimpleCommand, walk: Walk): string | undefined {
  const { context } = walk
  const words = command.words
  const argv = commandArgv(texts(words))
  const [name, ...args] = argv
  const program = programName(name)
  // Redirections count also without a command (`> ~/.bashrc`, `exec 3<>/dev/tcp/…`).
  const startup = command.redirects.find((redirect) => redirect.op !== "<" && redirect.op !== "<<<" && isStartupFile(redirect.target.text))
  if (startup) return `writing ${startup.target.text}, which runs at every login or shell`
  if (command.redirects.some((redirect) => /^\/dev\/(tcp|udp)\//.test(redirect.target.text))) walk.netFd = true
  if (!program) return undefined
  const argWords = words.slice(words.length - args.length)
  const tainted = argWords.find((word) => word.taint)
  const producers = command.pipedFrom.map((producer) => commandArgv(texts(producer.words)))

  // What is run as code: from a download or a decoder, through a pipe, a substitution, a here-string or <(…).
  if (readsProgramFromInput(argv) && command.pipedFrom.length) {
    if (producers.some(isDownloader) || command.pipedFrom.some((producer) => producer.words.some((word) => word.taint === "download"))) return `piping a download into ${shells.has(program) ? "a shell" : program}`
    if (producers.some(isDecoder)) return `piping decoded text into ${shells.has(program) ? "a shell" : program}`
    for (const producer of producers) {
      if (producer[0] !== "echo" && producer[0] !== "printf") continue
      const reason = dangerousCommand(printed(producer), context, walk.depth + 1)
      if (reason) return reason
    }
  }
  if (runsCode(program)) {
    if (tainted) return `running ${tainted.taint === "download" ? "a download" : "decoded text"} in ${program === "eval" ? "eval" : shells.has(program) ? "a shell" : program}`
    const here = command.redirects.find((redirect) => redirect.op === "<<<")
    if (here?.target.taint) return `running ${here.target.taint === "download" ? "a download" : "decoded text"} in a shell`
    if (here && shells.has(program)) {
      const reason = dangerousCommand(here.target.text, context, walk.depth + 1)
      if (reason) return reason
    }
    const script = args.find((arg) => !arg.startsWith("-"))
    if (script && walk.downloaded.has(script.replace(/^\.\//, ""))) return "running a downloaded file"
  }
  if (walk.downloaded.has(name!.replace(/^\.\//, ""))) return "running a downloaded file"

  if (program === "rimraf" || (program === "npx" && args[0] === "rimraf")) {
    const target = args.find((arg) => !arg.startsWith("-") && arg !== "rimraf" && isVitalPath(arg, context, walk.inSubfolder))
    if (target) return `rimraf of ${target}`
  }
  const device = command.redirects.find((redirect) => /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|md|dm-|mapper\/)/.test(redirect.target.text) && redirect.op !== "<")
  if (device) return `writing onto a device (${device.target.text})`
  const programWord = words[words.length - argv.length]
  if (programWord?.taint) return `running ${programWord.taint === "download" ? "a download" : "decoded text"} as a command`
  if (program === "tee" && args.some(isStartupFile)) return "writing a file that runs at every login or shell"
  if (walk.netFd && readsProgramFromInput(argv) && command.pipedFrom.length) return `piping a download into ${shells.has(program) ? "a shell" : program}`
  if (["shutdown", "reboot", "halt", "poweroff"].includes(program) || (program === "init" && /^[06]$/.test(args[0] ?? "")) || (program === "systemctl" && /^(poweroff|reboot|halt|kexec)$/.test(args[0] ?? ""))) return "shutting the machine down"
  if ((program === "kill" || program === "pkill" || program === "killall") && (args.includes("-1") || args.includes("--") && args[args.indexOf("--") + 1] === "-1" || (program === "killall" && args.length === 0))) return "killing every process"
  if (program === "crontab" && !args.includes("-l")) return "changing the scheduled jobs (crontab)"
  if (interpreters.has(program)) {
    const code = args.find((_arg, index) => ["-c", "-e", "-E", "--eval", "-r"].includes(args[index - 1] ?? ""))
    if (code) {
      const reason = interpreterCode(code, context, walk)
      if (reason) return reason
    }
  }
  if (program === "rm") {
    const recursive = /[rR]/.test(flags(args)) || args.includes("--recursive")
    const target = args.find((arg) => !arg.startsWith("-") && isVitalPath(arg, context, walk.inSubfolder))
    if (recursive && target) return `recursive rm of ${target}`
    if (recursive && producers.some((producer) => ["echo", "printf"].includes(producer[0] ?? "") && isVitalPath(printed(producer).trim(), context, walk.inSubfolder))) return "recursive rm of a folder piped in"
  }
  if (program === "chmod" || program === "chown" || program === "chgrp") {
    const recursive = /R/.test(flags(args)) || args.includes("--recursive")
    const target = args.find((arg) => !arg.startsWith("-") && (arg.startsWith("/") || arg.startsWith("~")) && isVitalPath(arg, context, walk.inSubfolder))
    if (recursive && target) return `recursive ${program} of ${target}`
  }
  if (/^mkfs(\.|$)/.test(program) || program === "wipefs") return "formatting a file system"
  if (program === "dd" && args.some((arg) => /^of=\/dev\/(?!null$|zero$|stdout$|stderr$)/.test(arg))) return "dd onto a device"
  if (program === "shred" && args.some((arg) => arg.startsWith("/dev/"))) return "shredding a device"
  if (program === "git") {
    const reason = checkGit(args, context)
    if (reason) return reason
  }
  if ((shells.has(program) || program === "su") && args.includes("-c")) {
    const body = args[args.indexOf("-c") + 1]
    if (body !== undefined) return dangerousCommand(body, context, walk.depth + 1)
  }
  if (program === "eval" && args.length) return dangerousCommand(args.join(" "), context, walk.depth + 1)
  if (program === "find") {
    const start = args[0] && !args[0].startsWith("-") ? args[0] : "."
    const broad = /^(\/|~)\/?$|^\/[^/]+\/?$|^~\/[^/]+\/?$/.test(start)
    if (broad && (args.includes("-delete") || args.some((arg, index) => ["-exec", "-execdir", "-ok"].includes(arg) && ["rm", "shred", "unlink"].includes(programName(args[index + 1])))))
      return `find removing files under ${start}`
    const exec = args.findIndex((arg) => arg === "-exec" || arg === "-execdir" || arg === "-ok")
    if (exec >= 0) {
      const end = args.findIndex((arg, index) => index > exec && (arg === ";" || arg === "+"))
      const inner = args.slice(exec + 1, end < 0 ? undefined : end).map((arg) => (arg === "{}" ? "." : arg))
      const reason = checkCommand({ ...command, words: inner.map((text) => ({ text, inner: [] })), pipedFrom: [] }, walk)
      if (reason) return reason
    }
    // -delete of everything under a vital folder: no test (-name, -type …) narrows it.
    const unfiltered = args.slice(1).every((arg) => !arg.startsWith("-") || ["-delete", "-depth", "-mindepth", "-maxdepth", "-xdev", "-mount"].includes(arg) || /^\d+$/.test(arg))
    if (args.includes("-delete") && unfiltered && args[0] && !args[0].startsWith("-") && isVitalPath(args[0], context, walk.inSubfolder)) return `find -delete in ${args[0]}`
  }
  if (program === "cd") {
    const target = args[0] ?? "~"
    walk.inSubfolder = !target.startsWith("/") && !target.startsWith("~") && !target.startsWith("..") && target !== "." && target !== "-"
  }
  if (isDownloader(argv)) for (const file of downloadTargets(command, argv)) walk.downloaded.add(file)
  return undefined
}

/** Why a command line must not run, or undefined when the guard sees nothing destructive. */
export function dangerousCommand(command: string, context: GuardContext, depth = 0): string | undefined {
  if (depth > 8) return "command nested too deeply to check"
  let script
  try {
    script = parseShell(command, new Map([["HOME", "~"], ["PWD", context.directory]]))
  } catch (error) {
    // What the parser refuses, bash refuses too: the command fails on its own.
    if (error instanceof ShellParseError) return undefined
    throw error
  }
  if (script.selfSpawning.length) return "a fork bomb"
  const walk: Walk = { context, depth, downloaded: new Set(), inSubfolder: false }
  const check = (commands: SimpleCommand[]): string | undefined => {
    for (const simple of commands) {
      for (const word of [...simple.words, ...simple.redirects.map((redirect) => redirect.target)])
        for (const inner of word.inner) {
          const reason = check(inner)
          if (reason) return reason
        }
      const reason = checkCommand(simple, walk)
      if (reason) return reason
    }
    return undefined
  }
  return check(script.commands)
}
