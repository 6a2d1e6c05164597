/**
 * True when the host process is `opencode run` (headless, one turn, then exit): its first
 * command word. The TUI and `opencode serve` give exit codes no meaning, so nothing sets them there.
 */
export function isHeadlessRun(argv = process.argv): boolean {
  return argv.slice(2).find((word) => !word.startsWith("-")) === "run"
}
