import { isEmail } from "./validate.js"

export function signup(address, password) {
  if (!isEmail(address)) return { ok: false, error: "invalid e-mail address" }
  if (!password || password.length < 8) return { ok: false, error: "password too short" }
  return { ok: true, user: { email: String(address).trim().toLowerCase() } }
}
