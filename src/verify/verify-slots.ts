import os from "node:os"

/** Room a verification run is given when the limit is derived from free memory (a test suite and its runtime). */
export const memoryPerVerification = 768 * 1024 * 1024

/** The most verification runs at once that the machine's cores and free memory allow (at least one). */
export function machineVerifySlots(machine = { cores: os.availableParallelism(), freeMemory: os.freemem() }): number {
  return Math.max(1, Math.min(machine.cores, Math.floor(machine.freeMemory / memoryPerVerification)))
}

/**
 * How many of a mission's verification runs may go at once, as policy. Runs in one directory (the
 * shared tree) would disturb each other, and so would runs outside a sandbox, which share the
 * machine's ports: those go one at a time, unless the user set a number. In worktrees under
 * bubblewrap, each run has its own tree and network namespace: `auto` allows what the machine does.
 */
export function missionVerifySlots(setting: "auto" | number, isolation: { worktrees: boolean; sandboxed: boolean }, machineSlots: number): number {
  if (!isolation.worktrees) return 1
  if (setting !== "auto") return setting
  return isolation.sandboxed ? machineSlots : 1
}
