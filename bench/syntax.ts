// npm run bench:syntax — the syntax engine's costs, measured in this run:
// - the repository map of this repository's own src/: its tokens whole, and what the planner's
//   budget (repositoryMapBudget of the default planner budget) keeps; and the map of the generated
//   tree below, with the longest the event loop waited while it was built;
// - structural search on a generated 3,000-file TypeScript tree: ast_grep_search's latency, cold
//   (first load of the engine) and warm, against `grep -rn` of the same literal over the same tree.
import { execFileSync, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { repositoryMapBudget } from "../src/context/role-budgets.js"
import { parseConfig } from "../src/config/config.js"
import { astGrepSearch } from "../src/syntax/ast-grep-tools.js"
import { mapFiles, renderRepositoryMap } from "../src/syntax/repository-map.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6

// The search first: its first call pays the engine's load.
const tree = mkdtempSync(path.join(os.tmpdir(), "bench-syntax-"))
const fileCount = 3000
for (let index = 0; index < fileCount; index++) {
  const folder = path.join(tree, "src", `area${index % 30}`)
  mkdirSync(folder, { recursive: true })
  const lines = [`import { helper${index % 7} } from "../shared.js"`, "", `export function handle${index}(request: { id: string; size: number }): number {`]
  for (let line = 0; line < 30; line++) lines.push(`  const value${line} = helper${index % 7}(request.size + ${line})`)
  if (index % 10 === 0) lines.push(`  console.log("handled", request.id)`)
  lines.push("  return request.size", "}", "")
  writeFileSync(path.join(folder, `handler${index}.ts`), lines.join("\n"))
}
execFileSync("git", ["init", "-q"], { cwd: tree })

let start = process.hrtime.bigint()
const cold = await astGrepSearch({ directory: tree, pattern: "console.log($$$A)" })
const coldMs = ms(start)
const warm: number[] = []
for (let run = 0; run < 3; run++) {
  start = process.hrtime.bigint()
  await astGrepSearch({ directory: tree, pattern: "console.log($$$A)" })
  warm.push(ms(start))
}
const grep: number[] = []
for (let run = 0; run < 3; run++) {
  start = process.hrtime.bigint()
  spawnSync("grep", ["-rn", "console.log", path.join(tree, "src")], { encoding: "utf8" })
  grep.push(ms(start))
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.log(`| search, ${fileCount} files | ast_grep_search | grep -rn | ratio |`)
console.log("| --- | --- | --- | --- |")
console.log(`| console.log($$$A), ${cold.split("\n")[0]} | cold ${coldMs.toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms | ${median(grep).toFixed(0)} ms | ${(median(warm) / median(grep)).toFixed(1)}× |`)

// The map of the 3,000-file tree, with the longest the event loop waited meanwhile (the host's, in the plugin).
let longestStall = 0
let tick = performance.now()
const watch = setInterval(() => {
  const now = performance.now()
  longestStall = Math.max(longestStall, now - tick)
  tick = now
}, 5)
start = process.hrtime.bigint()
const treeMap = await mapFiles(tree)
const treeMapMs = ms(start)
clearInterval(watch)

start = process.hrtime.bigint()
const mapped = await mapFiles(path.join(root, "src"))
const mapMs = ms(start)
const whole = renderRepositoryMap(mapped.files, Number.MAX_SAFE_INTEGER, countTokens)
const plannerBudget = parseConfig("{}", "bench").context.budgets.planner
const budget = repositoryMapBudget(plannerBudget)
const kept = renderRepositoryMap(mapped.files, budget, countTokens)
console.log("")
console.log("| repository map of src/ | files with exports | tokens | built in |")
console.log("| --- | --- | --- | --- |")
console.log(`| whole | ${whole.files} | ${whole.tokens} | ${mapMs.toFixed(0)} ms |`)
console.log(`| within the planner's map budget (${budget} of ${plannerBudget}) | ${kept.shown} shown | ${kept.tokens} | |`)
console.log(`| the generated ${fileCount}-file tree (built in; longest event-loop stall meanwhile) | ${treeMap.files.length} | | ${treeMapMs.toFixed(0)} ms; ${longestStall.toFixed(0)} ms |`)
