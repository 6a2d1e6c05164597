// The OS sandbox: every command our workers run, and every command the engine runs for them, goes
// through bubblewrap with this view of the machine. Pure: which paths, in which order, how.

/** What one sandboxed command may see and touch. Paths are absolute. */
export interface SandboxScope {
  /** The only folders it may write: the task's worktree (or folder) and its private temp dir. */
  writable: string[]
  /** Inside the writable folders, paths that stay read-only (a worktree's `.git`, the host's config in a shared tree). */
  readOnly: string[]
  /** Folders shown empty (secrets in $HOME). */
  hiddenFolders: string[]
  /** Files shown empty. */
  hiddenFiles: string[]
  /** The private temp dir: TMPDIR and the caches point there. */
  temp: string
  /** True to keep the host's network (workerWeb, or setup commands that install); else loopback only, alone. */
  network: boolean
  /** Where it starts; unset, where the process that starts it stands. */
  cwd?: string
  /** More environment inside (the proxy's address when some hosts are allowed). */
  env?: Record<string, string>
}

/**
 * bubblewrap's arguments for `scope`, before the `--` that starts the command. Order matters: the
 * whole machine read-only first, then the writable folders over it, then read-only and hidden
 * paths inside them. New namespaces for everything (the network too, unless kept); the sandbox
 * dies with the process that started it, and its process tree with its pid namespace.
 */
export function bwrapArguments(scope: SandboxScope): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
  for (const folder of scope.writable) args.push("--bind", folder, folder)
  for (const file of scope.readOnly) args.push("--ro-bind", file, file)
  for (const folder of scope.hiddenFolders) args.push("--tmpfs", folder)
  for (const file of scope.hiddenFiles) args.push("--ro-bind", "/dev/null", file)
  args.push("--unshare-all")
  if (scope.network) args.push("--share-net")
  args.push("--die-with-parent", "--new-session", "--cap-drop", "ALL")
  for (const name of ["TMPDIR", "TMP", "TEMP"]) args.push("--setenv", name, scope.temp)
  args.push("--setenv", "XDG_CACHE_HOME", `${scope.temp}/cache`, "--setenv", "npm_config_cache", `${scope.temp}/npm-cache`)
  for (const [name, value] of Object.entries(scope.env ?? {})) args.push("--setenv", name, value)
  if (scope.cwd) args.push("--chdir", scope.cwd)
  return args
}

/** `word` as one shell word, whatever it holds. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}
