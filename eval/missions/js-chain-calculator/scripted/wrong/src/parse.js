// expression := term (("+" | "-") expression)?   term := factor (("*" | "/") term)?   factor := number | "(" expression ")"
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
  const term = () => {
    const left = factor()
    if (peek() && ["*", "/"].includes(peek().type)) return { type: "binary", operator: take().type, left, right: term() }
    return left
  }
  const expression = () => {
    const left = term()
    if (peek() && ["+", "-"].includes(peek().type)) return { type: "binary", operator: take().type, left, right: expression() }
    return left
  }
  const tree = expression()
  if (index < tokens.length) throw new Error(`unexpected token ${index}`)
  return tree
}
