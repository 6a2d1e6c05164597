/** Something, an @, and something. */
export function isEmail(address) {
  return /^[^\s@]+@[^\s@]+$/.test(String(address).trim())
}
