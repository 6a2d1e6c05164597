export function parsePort(text) {
  const port = Number.parseInt(text, 10)
  if (Number.isNaN(port) || port < 1 || port > 65535) throw new Error(`not a port: ${JSON.stringify(text)}`)
  return port
}
