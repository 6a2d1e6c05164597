export function parsePort(text) {
  if (!/^\d+$/.test(String(text))) throw new Error(`not a port: ${JSON.stringify(text)}`)
  const port = Number(text)
  if (port < 1 || port > 65535) throw new Error(`port out of range: ${port}`)
  return port
}
