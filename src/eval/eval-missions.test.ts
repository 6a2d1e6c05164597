// Every mission of the shipped suite is a fair test, checked without a host: its hidden tests fail
// on the seed (they measure the change), the solving files pass both the visible and the hidden
// tests, and the wrong files pass the visible tests but not the hidden ones (only the hidden tests
// can tell). The scripted scenarios built from it are valid.
import { test } from "node:test"
import assert from "node:assert/strict"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseScenario } from "../scripted-model/scenario.js"
import { loadEvalMissions, missingCommands, scriptedFiles, type EvalMission } from "./eval-mission.js"
import { checkProject, prepareProject } from "./eval-project.js"
import { orchestratedScenario, singleAgentScenario } from "./eval-scenarios.js"
import { repositoryProblems, validatePlan } from "../mission/plan-validation.js"
import { mapFiles, repositoryFacts } from "../syntax/repository-map.js"

const missions = loadEvalMissions()
const scratch = mkdtempSync(path.join(os.tmpdir(), "eval-missions-"))
const bounds = { tokens: 1000, dollars: 1, seconds: 60 }
test("the suite has at least 12 missions, in more than one language and of several shapes", () => {
  assert.ok(missions.length >= 12, `${missions.length} missions`)
  assert.ok(new Set(missions.map((mission) => mission.spec.language)).size >= 2)
  assert.ok(new Set(missions.map((mission) => mission.spec.shape)).size >= 6, [...new Set(missions.map((mission) => mission.spec.shape))].join("; "))
  assert.ok(missions.some((mission) => mission.spec.clarification))
  assert.ok(missions.some((mission) => mission.scripted.tasks.some((task) => task.dependsOn.length)))
})

function project(mission: EvalMission, name: string, files?: Map<string, string>): string {
  const directory = prepareProject(mission, path.join(scratch, `${mission.id}-${name}`), { bounds })
  for (const [file, content] of files ?? []) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true })
    writeFileSync(path.join(directory, file), content)
  }
  return directory
}

for (const mission of missions) {
  const missing = missingCommands(mission)
  test(`eval mission ${mission.id}: hidden tests fail on the seed and on the wrong files, pass on the solving files`, { skip: missing.length ? `${missing.join(", ")} not found` : false }, async () => {
    const seedFolder = project(mission, "seed")
    // The scripted plan is one the product accepts: the checks submit_plan runs, on the seed.
    const tasks = mission.scripted.tasks
    assert.deepEqual([...validatePlan(tasks), ...repositoryProblems(tasks, repositoryFacts(seedFolder, await mapFiles(seedFolder)))], [])
    const seed = await checkProject(mission, seedFolder)
    assert.equal(seed.hidden.passed, false, `the hidden tests pass on the seed:\n${seed.hidden.output}`)
    const wrong = await checkProject(mission, project(mission, "wrong", scriptedFiles(mission, "wrong")))
    assert.equal(wrong.visible.passed, true, `the wrong files fail the visible tests (they should fool them):\n${wrong.visible.output}`)
    assert.equal(wrong.hidden.passed, false, `the wrong files pass the hidden tests:\n${wrong.hidden.output}`)
    const solved = await checkProject(mission, project(mission, "solve", scriptedFiles(mission, "solve")))
    assert.equal(solved.visible.passed, true, `the solving files fail the visible tests:\n${solved.visible.output}`)
    assert.equal(solved.hidden.passed, true, `the solving files fail the hidden tests:\n${solved.hidden.output}`)
    for (const variant of ["solve", "wrong"] as const) {
      parseScenario(orchestratedScenario(mission, variant))
      parseScenario(singleAgentScenario(mission, variant))
    }
  })
}

test.after(() => rmSync(scratch, { recursive: true, force: true }))
