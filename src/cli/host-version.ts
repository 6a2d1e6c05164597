/** The OpenCode version this plugin is built and tested against (the pinned `opencode-ai` and `@opencode-ai/plugin`). */
export const testedHostVersion = "1.18.33"

export type Level = "ok" | "warn" | "fail"

/**
 * Whether a host version can load this plugin. OpenCode 2 loads only plugins written for it; a 1.x
 * older than the tested minor may lack hooks the plugin uses.
 */
export function hostCompatibility(version: string): { level: Level; detail: string } {
  const match = version.match(/(\d+)\.(\d+)\.(\d+)/)
  if (!match) return { level: "warn", detail: `could not read a version from "${version.trim()}"` }
  const [major, minor] = [Number(match[1]), Number(match[2])]
  const [testedMajor, testedMinor] = testedHostVersion.split(".").map(Number) as [number, number]
  const found = match[0]
  if (major > testedMajor) return { level: "fail", detail: `OpenCode ${found} is not supported: OpenCode ${major} does not load plugins written for OpenCode ${testedMajor}, and this plugin has no OpenCode ${major} version yet (tested with ${testedHostVersion})` }
  if (major < testedMajor || minor < testedMinor) return { level: "warn", detail: `OpenCode ${found} is older than the tested ${testedHostVersion}; hooks the plugin uses may be missing` }
  return { level: "ok", detail: `OpenCode ${found}${found === testedHostVersion ? "" : ` (tested with ${testedHostVersion})`}` }
}
