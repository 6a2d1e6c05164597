// Runs inside the sandbox, where only loopback exists: forwards 127.0.0.1:<port> to the network
// gate's unix socket outside (network-gate.ts). Started by the wrapped command before the
// command itself, it dies with the sandbox. Usage: node proxy-bridge.js <socket> <port>
import { connect, createServer } from "node:net"

const [socket, port] = process.argv.slice(2)
if (!socket || !port) {
  process.stderr.write("usage: proxy-bridge <socket> <port>\n")
  process.exit(2)
}
createServer((client) => {
  const gate = connect(socket)
  client.pipe(gate)
  gate.pipe(client)
  const end = () => {
    client.destroy()
    gate.destroy()
  }
  client.on("error", end)
  gate.on("error", end)
}).listen(Number(port), "127.0.0.1")
