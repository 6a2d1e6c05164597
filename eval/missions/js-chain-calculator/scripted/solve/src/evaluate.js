import { tokenize } from "./tokenize.js"
import { parse } from "./parse.js"

const apply = { "+": (a, b) => a + b, "-": (a, b) => a - b, "*": (a, b) => a * b, "/": (a, b) => a / b }

function value(node) {
  return node.type === "number" ? node.value : apply[node.operator](value(node.left), value(node.right))
}

export function evaluate(text) {
  return value(parse(tokenize(text)))
}
