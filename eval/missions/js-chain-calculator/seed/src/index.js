// The calculator's entry point: the modules are yet to be written.
export const name = "calculator"
