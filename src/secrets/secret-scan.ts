// secretlint's recommended rules, as a library: secrets of many providers that a model or a
// command wrote. Asynchronous, so it runs where the mission can wait (a tool's submission, a
// verification's output) before anything is recorded; what it finds, the Redactor learns.
// Loaded on the first scan, never at plugin start.

type Lint = (text: string) => Promise<Array<{ ruleId: string; range: readonly [number, number] }>>
let lint: Promise<Lint> | undefined

function linter(): Promise<Lint> {
  lint ??= (async () => {
    const [{ lintSource }, { creator }] = await Promise.all([import("@secretlint/core"), import("@secretlint/secretlint-rule-preset-recommend")])
    const config = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: creator }] }
    return async (text: string) => {
      const result = await lintSource({ source: { filePath: "mission.txt", content: text, ext: ".txt", contentType: "text" }, options: { config } })
      return result.messages.map((message) => ({ ruleId: message.ruleId, range: message.range }))
    }
  })()
  return lint
}

/** The secrets secretlint finds in `texts`, each with the rule that found it. Never throws: a scan that fails finds nothing. */
export async function scanSecrets(texts: string[]): Promise<Array<{ value: string; rule: string }>> {
  const text = texts.filter(Boolean).join("\n")
  if (!text) return []
  try {
    const messages = await (await linter())(text)
    return messages.map((message) => ({ value: text.slice(message.range[0], message.range[1]), rule: message.ruleId.replace(/^@secretlint\/secretlint-rule-/, "") }))
  } catch {
    return []
  }
}
