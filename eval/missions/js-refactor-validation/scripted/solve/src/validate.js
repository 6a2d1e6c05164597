/** One @, something before it, no spaces, and a domain of dot-separated, non-empty labels. */
export function isEmail(address) {
  const trimmed = String(address).trim()
  const at = trimmed.indexOf("@")
  return at > 0 && at === trimmed.lastIndexOf("@") && !/\s/.test(trimmed) && /^[^.]+(\.[^.]+)+$/.test(trimmed.slice(at + 1))
}
