export function invite(from, addresses) {
  const sent = []
  const rejected = []
  for (const address of addresses) {
    const trimmed = String(address).trim()
    const at = trimmed.indexOf("@")
    const valid = at > 0 && at === trimmed.lastIndexOf("@") && !/\s/.test(trimmed) && /^[^.]+(\.[^.]+)+$/.test(trimmed.slice(at + 1))
    if (valid) sent.push({ from, to: trimmed.toLowerCase() })
    else rejected.push(address)
  }
  return { sent, rejected }
}
