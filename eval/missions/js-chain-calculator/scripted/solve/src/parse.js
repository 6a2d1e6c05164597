// expression := term (("+" | "-") term)*   term := factor (("*" | "/") factor)*   factor := number | "(" expression ")"
export function parse(tokens) {
  let index = 0
  const peek = () => tokens[index]
  const take = (type) => {
    const token = tokens[index]
    if (!token || (type && token.type !== type)) throw new Error(`expected ${type ?? "more input"} at token ${index}`)
    index++
    return token
  }
  const factor = () => {
    if (peek()?.type === "(") {
      take("(")
      const inner = expression()
      take(")")
      return inner
    }
    return { type: "number", value: take("number").value }
  }
  const level = (operators, next) => () => {
    let left = next()
    while (peek() && operators.includes(peek().type)) {
      const operator = take().type
      left = { type: "binary", operator, left, right: next() }
    }
    return left
  }
  const term = level(["*", "/"], factor)
  const expression = level(["+", "-"], term)
  const tree = expression()
  if (index < tokens.length) throw new Error(`unexpected token ${index}`)
  return tree
}
