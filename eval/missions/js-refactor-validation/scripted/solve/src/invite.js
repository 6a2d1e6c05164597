import { isEmail } from "./validate.js"

export function invite(from, addresses) {
  const sent = []
  const rejected = []
  for (const address of addresses) {
    if (isEmail(address)) sent.push({ from, to: String(address).trim().toLowerCase() })
    else rejected.push(address)
  }
  return { sent, rejected }
}
