// Starts with fixed settings until loadConfig exists.
export const settings = { port: 3000, debug: false }
