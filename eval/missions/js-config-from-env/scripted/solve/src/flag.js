const truthy = new Set(["true", "1", "yes"])
const falsy = new Set(["false", "0", "no", ""])

export function parseFlag(text) {
  const word = String(text).trim().toLowerCase()
  if (truthy.has(word)) return true
  if (falsy.has(word)) return false
  throw new Error(`not a flag: ${JSON.stringify(text)}`)
}
