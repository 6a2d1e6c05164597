export function signup(address, password) {
  const trimmed = String(address).trim()
  const at = trimmed.indexOf("@")
  const valid = at > 0 && at === trimmed.lastIndexOf("@") && !/\s/.test(trimmed) && /^[^.]+(\.[^.]+)+$/.test(trimmed.slice(at + 1))
  if (!valid) return { ok: false, error: "invalid e-mail address" }
  if (!password || password.length < 8) return { ok: false, error: "password too short" }
  return { ok: true, user: { email: trimmed.toLowerCase() } }
}
