// CPU seconds of a process from /proc (Linux): its own, and that of its ended and reaped children.
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"

const clockTicks = process.platform === "linux" ? Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) : 0

/** One clock tick in seconds: the finest CPU time /proc gives (0 off Linux). */
export const cpuTick = clockTicks ? 1 / clockTicks : 0

/** `pid`'s CPU seconds (utime + stime, and cutime + cstime for its children); undefined off Linux. */
export function processCpu(pid: number | "self"): { own: number; children: number } | undefined {
  if (!clockTicks) return undefined
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return { own: (Number(fields[11]) + Number(fields[12])) / clockTicks, children: (Number(fields[13]) + Number(fields[14])) / clockTicks }
}

/** CPU seconds of `pid`'s main thread alone (utime + stime); undefined off Linux. */
export function mainThreadCpu(pid: number): number | undefined {
  if (!clockTicks) return undefined
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) / clockTicks
}
