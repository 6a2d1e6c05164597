// npm run bench:instances: what a task worktree's host instance costs the host. A served host with
// the plugin warms its project's instance (the baseline), then, one after another, eight new
// worktree directories, with the calls a mission makes for a pooled slot (the agents check, then
// `warmInstance`'s two, each timed on the host's main thread); then the same calls again on the
// warm instances; then it rests; then it disposes of the eight, as a mission's end does, and rests
// again. It prints the host's CPU time (its own and its children's, Linux) for a new instance
// against the same calls on a warm one, its main thread's share, and what the instances cost at
// rest, before and after. This is the price of a slot, paid once per slot per mission.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { startServedHost } from "../src/cli/served-host.js"
import { OpencodeHost } from "../src/host/opencode-host.js"
import { UsageTally } from "../src/economy/usage-tally.js"
import { PromptGate } from "../src/host/prompt-gate.js"
import { startScriptedModel } from "../src/scripted-model/server.js"
import { isolatedHostEnvironment, opencodeBinary } from "../src/testing/host-environment.js"
import { createSampleProject, untrackedConfigFolder } from "../src/testing/sample-project.js"
import { addDetachedWorktree, missionWorktreesFolder } from "../src/workspace/worktree-ops.js"
import { cpuTick, mainThreadCpu, processCpu } from "./process-cpu.js"

if (!cpuTick) throw new Error("bench:instances reads CPU times from /proc (Linux only)")
const count = Number(process.argv[2] ?? 8)
const restSeconds = 10
const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-instances-"))
const project = untrackedConfigFolder(createSampleProject(path.join(scratch, "project")))
const model = await startScriptedModel({ scenario: { rules: [], fallback: { text: "ready" } } })
const served = await startServedHost({ binary: opencodeBinary(), directory: project, env: isolatedHostEnvironment({ home: path.join(scratch, "home"), modelUrl: model.url }) })
const host = new OpencodeHost(served.client, new PromptGate(), new UsageTally())

/** The served host's CPU seconds: its own, and its ended children's (git, say). */
function hostCpu(): number {
  const cpu = processCpu(served.pid!)!
  return cpu.own + cpu.children
}

/** The served host's resident memory, in MB (Linux). */
function residentMb(): number {
  const line = readFileSync(`/proc/${served.pid}/status`, "utf8").split("\n").find((entry) => entry.startsWith("VmRSS:"))
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024)
}

interface Warming {
  /** The host's CPU seconds (all threads, and its children), its main thread's, and the wall time until warmed. */
  cpu: number
  main: number
  ms: number
  /** The main thread's CPU seconds in each call a mission makes for a slot. */
  calls: { agents: number; providers: number; search: number }
}

/** Warming `directory` as a mission does (the agents check, then `warmInstance`'s two calls, timed apart), with what the host still does for it in the next second. */
async function warm(directory: string): Promise<Warming> {
  const main = () => mainThreadCpu(served.pid!)!
  const timed = async (call: () => Promise<unknown>) => {
    const before = main()
    await call()
    return main() - before
  }
  const [before, mainBefore, started] = [hostCpu(), main(), Date.now()]
  const agents = await timed(() => host.agentNames(directory))
  // What `warmInstance` asks for at once, asked one after the other so each is timed.
  const providers = await timed(() => served.client.config.providers({ query: { directory } }))
  const search = await timed(() => served.client.find.files({ query: { directory, query: ".", dirs: "false" } }))
  const ms = Date.now() - started
  await sleep(1000)
  return { cpu: hostCpu() - before, main: main() - mainBefore, ms, calls: { agents, providers, search } }
}

try {
  await warm(project)
  // Where a mission's pooled slots live, made as a mission makes them.
  const folder = await missionWorktreesFolder(project, "bench")
  if (!folder.ok) throw new Error(folder.error)
  const slots = Array.from({ length: count }, (_, index) => path.join(folder.value, "slots", String(index + 1)))
  for (const slot of slots) {
    const added = await addDetachedWorktree(project, slot, "HEAD")
    if (!added.ok) throw new Error(added.error)
  }
  const fresh: Warming[] = []
  for (const slot of slots) fresh.push(await warm(slot))
  const again: Warming[] = []
  for (const slot of slots) again.push(await warm(slot))
  const restBefore = hostCpu()
  await sleep(restSeconds * 1000)
  const rest = hostCpu() - restBefore
  const rssBefore = residentMb()
  for (const slot of slots) await host.disposeInstance(slot)
  await sleep(1000)
  const disposedBefore = hostCpu()
  await sleep(restSeconds * 1000)
  const restDisposed = hostCpu() - disposedBefore
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const newCpu = median(fresh.map((sample) => sample.cpu))
  const warmCpu = median(again.map((sample) => sample.cpu))
  console.log(`bench:instances · ${count} worktree directories of the sample project, one after another · host CPU (its own and its children's)`)
  console.log("| instance | CPU (median) | wall until warmed (median) |")
  console.log("| --- | --- | --- |")
  console.log(`| new | ${newCpu.toFixed(2)} s | ${median(fresh.map((sample) => sample.ms))} ms |`)
  console.log(`| warm, the same calls | ${warmCpu.toFixed(2)} s | ${median(again.map((sample) => sample.ms))} ms |`)
  const calls = (name: keyof Warming["calls"]) => median(fresh.map((sample) => sample.calls[name])).toFixed(2)
  console.log(`a new instance, the host's main thread: ${median(fresh.map((sample) => sample.main)).toFixed(2)} s of its ${newCpu.toFixed(2)} s (median); in the agents check ${calls("agents")} s, the provider list ${calls("providers")} s, the first file search ${calls("search")} s`)
  console.log(`a new instance costs ${(newCpu / Math.max(warmCpu, cpuTick)).toFixed(0)}× the same calls on a warm one; ${count} of them ${fresh.reduce((sum, sample) => sum + sample.cpu, 0).toFixed(1)} s of CPU`)
  console.log(`at rest, ${count + 1} instances: ${((rest / restSeconds) * 60).toFixed(2)} s of CPU a minute (host resident memory ${rssBefore} MB)`)
  console.log(`at rest, after the ${count} were disposed: ${((restDisposed / restSeconds) * 60).toFixed(2)} s of CPU a minute (host resident memory ${residentMb()} MB)`)
} finally {
  await served.stop()
  await model.close()
  rmSync(scratch, { recursive: true, force: true })
}
