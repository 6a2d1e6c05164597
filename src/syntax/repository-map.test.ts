import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { countTokens } from "gpt-tokenizer/encoding/o200k_base"
import { repositoryMap } from "./repository-map.js"

function project(files: Record<string, string>): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), "repo-map-"))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true })
    writeFileSync(path.join(directory, file), text)
  }
  execFileSync("git", ["init", "-q"], { cwd: directory })
  return directory
}

test("exported symbols per file with their signatures, the most referenced file first; tests are counted, not listed", async () => {
  const directory = project({
    "src/core.ts": "export function parse(text: string): Node[] { return [] }\nfunction internal() {}\n",
    "src/leaf.ts": "export const version = '1'\n",
    "src/a.ts": "import { parse } from './core'\nparse('a')\nexport function runA() {}\n",
    "src/b.py": "from core import parse\n\ndef run_b(x):\n    return parse(x)\n",
    "test/core.test.ts": "import { parse } from '../src/core'\nexport function fixture() { return parse('') }\n",
  })
  const map = await repositoryMap(directory, 1000, countTokens)
  assert.equal(
    map.text,
    ["src/core.ts (named in 3 other files)", "  function parse(text: string): Node[]", "src/a.ts", "  function runA()", "src/b.py", "  def run_b(x)", "src/leaf.ts", "  const version"].join("\n"),
  )
  assert.deepEqual([map.files, map.shown], [4, 4])
  assert.equal(map.tokens, countTokens(map.text))
})

test("the map is cut to its token budget, and says how many files were left out", async () => {
  const files = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`src/m${index}.ts`, `export function handler${index}(request: Request, response: Response): Promise<void> { return }\n`]))
  const directory = project(files)
  const map = await repositoryMap(directory, 500, countTokens)
  assert.ok(map.tokens <= 500, `${map.tokens} tokens`)
  assert.ok(map.shown > 5 && map.shown < 200)
  assert.match(map.text, new RegExp(`\\n… ${200 - map.shown} more files with exported symbols, less referenced`))
})
