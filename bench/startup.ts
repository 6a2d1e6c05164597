// Benchmark: what loading the plugin adds to an `opencode run` start. Alternates runs with and
// without the plugin in one process (same machine state), prints medians, difference and ratio.
// Run: npm run build && node --import tsx bench/startup.ts [runs]
import { spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { startScriptedModel } from "../src/scripted-model/server.js"
import { isolatedHostEnvironment, opencodeBinary } from "../src/testing/host-environment.js"

const runs = Number(process.argv[2] ?? 7)
const home = mkdtempSync(path.join(os.tmpdir(), "bench-startup-"))
const model = await startScriptedModel({ scenario: { rules: [], fallback: { text: "ready" } } })

async function timedRun(withPlugin: boolean): Promise<number> {
  const env = isolatedHostEnvironment({ home, modelUrl: model.url, withPlugin })
  const started = performance.now()
  const child = spawn(opencodeBinary(), ["run", "hello"], { cwd: home, env, stdio: "ignore" })
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
  if (code !== 0) throw new Error(`opencode run exited ${code}`)
  return performance.now() - started
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
await timedRun(true) // warm-up: the first start in a fresh HOME is slower for reasons of its own
const withPlugin: number[] = []
const without: number[] = []
for (let i = 0; i < runs; i++) {
  without.push(await timedRun(false))
  withPlugin.push(await timedRun(true))
}
await model.close()
const [a, b] = [median(without), median(withPlugin)]
console.log(`opencode run, one model call, ${runs} runs each (median):`)
console.log(`  without plugin ${a.toFixed(0)} ms`)
console.log(`  with plugin    ${b.toFixed(0)} ms`)
console.log(`  difference     ${(b - a).toFixed(0)} ms (ratio ${(b / a).toFixed(3)})`)
