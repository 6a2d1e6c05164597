import { test } from "node:test"
import assert from "node:assert/strict"
import type { PlannedTask } from "./mission-event.js"
import { filePathProblem, repositoryProblems, validatePlan } from "./plan-validation.js"

const task = (id: string, dependsOn: string[] = [], files: string[] = [`${id}.js`]): PlannedTask => ({
  id,
  title: `Task ${id}`,
  description: "",
  acceptance: [],
  files,
  dependsOn,
})

test("a diamond plan is valid", () => {
  assert.deepEqual(validatePlan([task("A"), task("B"), task("C", ["A", "B"])]), [])
})

test("an empty plan is rejected", () => {
  assert.deepEqual(validatePlan([]), ["the plan has no tasks"])
})

test("a cycle is reported with its path", () => {
  assert.deepEqual(validatePlan([task("A", ["C"]), task("B", ["A"]), task("C", ["B"])]), [
    "dependency cycle: A -> C -> B -> A; remove one of these dependencies",
  ])
})

test("duplicate ids, unknown and self dependencies are each named", () => {
  const problems = validatePlan([task("A", ["A"]), task("A"), task("B", ["Z"])])
  assert.deepEqual(problems, [
    'task "A": id is used twice',
    'task "A": depends on itself',
    'task "B": depends on "Z", which is not a task',
  ])
})

test("new tasks may depend on tasks of earlier rounds", () => {
  assert.deepEqual(validatePlan([task("R2-1", ["A"])], ["A"]), [])
  assert.deepEqual(validatePlan([task("A")], ["A"]), ['task "A": id is used twice'])
})

test("file paths must stay inside the project", () => {
  assert.equal(filePathProblem("src/a.ts"), undefined)
  assert.equal(filePathProblem("./src/../b.ts"), undefined)
  assert.equal(filePathProblem("../../etc/passwd"), "leaves the project")
  assert.equal(filePathProblem("src/../../x"), "leaves the project")
  assert.equal(filePathProblem("/etc/passwd"), "must be relative to the project root")
  assert.equal(filePathProblem("C:\\x"), "must be relative to the project root")
  assert.equal(filePathProblem("a\u0000b"), "contains a control character")
  assert.deepEqual(validatePlan([task("A", [], ["../x"])]), ['task "A": file "../x" leaves the project'])
})

test("bad ids and oversized plans are rejected", () => {
  assert.match(validatePlan([task("-x")])[0]!, /^task "-x": id must be/)
  const many = Array.from({ length: 31 }, (_, i) => task(`T${i}`))
  assert.equal(validatePlan(many)[0], "the plan has 31 tasks; at most 30")
})

test("against the repository: a change to a file that does not exist, or to a name the code does not have, is a fixable problem", () => {
  const facts = { fileExists: (file: string) => ["src/math.js", "src/lib/format.js"].includes(file), nameExists: (name: string) => ["add", "format"].includes(name), similarFile: (file: string) => (file.endsWith("format.js") ? "src/lib/format.js" : undefined) }
  const task = (id: string, title: string, description: string, files: string[]) => ({ id, title, description, acceptance: [], files, dependsOn: [] })
  const problems = repositoryProblems(
    [
      task("A", "Fix rounding", "Update src/format.js so that `format` rounds to 2 places.", ["src/format.js"]),
      task("B", "Rename", "Rename `addd` to `sum` in src/math.js.", ["src/math.js"]),
      task("C", "Add stats", "Create src/stats.js with a new `mean` function.", ["src/stats.js"]),
      task("D", "Use mean", "Change `mean` to accept an empty list; fix `median` too.", ["src/stats.js"]),
    ],
    facts,
  )
  assert.deepEqual(problems, [
    'task "A": says it changes "src/format.js", which does not exist (did you mean "src/lib/format.js"?); name the existing file, or say that the task creates it',
    'task "B": changes "addd", which the repository\'s code does not name; check the name, or say that the task adds it',
    'task "D": changes "median", which the repository\'s code does not name; check the name, or say that the task adds it',
  ])
})

test("the plan size limit is the config's: 200 tasks pass when allowed, not by default", () => {
  const many = Array.from({ length: 200 }, (_, index) => task(`T${index}`))
  assert.deepEqual(validatePlan(many, [], 200), [])
  assert.equal(validatePlan(many)[0], "the plan has 200 tasks; at most 30")
})
