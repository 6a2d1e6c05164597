import { test } from "node:test"
import assert from "node:assert/strict"
import { structuralSummary } from "./structural-summary.js"

test("added, removed and re-signed declarations are named per file; a body-only change is not structural", () => {
  const before = "export function add(a: number, b: number) { return a + b }\nexport function old() {}\nexport function same() { return 1 }\n"
  const after = "export function add(a: number, b: number, c = 0) { return a + b + c }\nexport function same() { return 2 }\nexport class Total {}\n"
  assert.equal(
    structuralSummary([
      { file: "src/math.ts", before, after },
      { file: "src/new.py", after: "def fresh(x):\n    return x\n" },
      { file: "README.md", before: "a", after: "b" },
      { file: "src/body.js", before: "function f() { return 1 }", after: "function f() { return 2 }" },
    ]),
    [
      "src/math.ts:",
      "  - signature of exported function add: function add(a: number, b: number) → function add(a: number, b: number, c = 0)",
      "  - added exported class Total: class Total",
      "  - removed exported function old",
      "src/new.py (new file):",
      "  - added exported function fresh: def fresh(x)",
    ].join("\n"),
  )
  assert.equal(structuralSummary([{ file: "src/body.js", before: "function f() { return 1 }", after: "function f() { return 2 }" }]), undefined)
})

test("the summary is bounded, with what was left out counted", () => {
  const after = Array.from({ length: 100 }, (_, index) => `export function f${index}() {}`).join("\n")
  const summary = structuralSummary([{ file: "many.ts", before: "", after }], 10)!
  assert.equal(summary.split("\n").length, 11)
  assert.match(summary, /… 91 more structural changes$/)
})
