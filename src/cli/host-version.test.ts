import { test } from "node:test"
import assert from "node:assert/strict"
import { hostCompatibility, testedHostVersion } from "./host-version.js"
import { formatAge, missionStartTime } from "./missions-command.js"

test("an OpenCode 2 host fails plainly; an older 1.x warns; the tested one is ok", () => {
  const v2 = hostCompatibility("2.0.1\n")
  assert.equal(v2.level, "fail")
  assert.match(v2.detail, /OpenCode 2\.0\.1 is not supported: OpenCode 2 does not load plugins written for OpenCode 1/)
  assert.equal(hostCompatibility("1.2.0").level, "warn")
  assert.deepEqual(hostCompatibility(testedHostVersion), { level: "ok", detail: `OpenCode ${testedHostVersion}` })
  assert.equal(hostCompatibility("opencode dev").level, "warn")
})

test("a mission's age comes from its id", () => {
  const started = missionStartTime("m-20261201-213000-ab12")!
  assert.equal(new Date(started).toISOString(), "2026-12-01T21:30:00.000Z")
  assert.equal(missionStartTime("not-a-mission"), undefined)
  assert.equal(formatAge(5 * 60_000), "5m ago")
  assert.equal(formatAge(3 * 3_600_000), "3h ago")
  assert.equal(formatAge(72 * 3_600_000), "3d ago")
})
