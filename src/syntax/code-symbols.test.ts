import { test } from "node:test"
import assert from "node:assert/strict"
import { codeSymbols } from "./code-symbols.js"
import { languageNamed } from "./syntax-engine.js"

const symbols = (lang: string, source: string) => codeSymbols(languageNamed(lang)!, source).map((symbol) => `${symbol.exported ? "+" : "-"}${symbol.kind} ${symbol.container ? `${symbol.container}.` : ""}${symbol.name}: ${symbol.signature}`)

test("TypeScript: exported declarations with their heads, class members, export lists", () => {
  const source = [
    "export function add(a: number, b = 2): number { return a + b }",
    "export const scale = (value: number, by: number): number => value * by, limit = 10",
    "export interface Shape { area(): number }",
    "export type Id = string",
    "export default class Circle implements Shape {",
    "  constructor(private r: number) {}",
    "  area(): number { return 3 * this.r }",
    "  private secret() {}",
    "}",
    "function helper(x: string) { return x }",
    "export { helper }",
    "export enum Color { Red }",
  ].join("\n")
  assert.deepEqual(symbols("ts", source), [
    "+function add: function add(a: number, b = 2): number",
    "+function scale: const scale = (value: number, by: number): number =>",
    "+variable limit: const limit",
    "+interface Shape: interface Shape",
    "+type Id: type Id = string",
    "+class Circle: class Circle implements Shape",
    "+method Circle.constructor: constructor(private r: number)",
    "+method Circle.area: area(): number",
    "-method Circle.secret: private secret()",
    "+function helper: function helper(x: string)",
    "+enum Color: enum Color",
  ])
})

test("Python, Go, Rust and Java: each language's own idea of public", () => {
  assert.deepEqual(symbols("python", "def area(r: float) -> float:\n    return r\n\nclass Shape(Base):\n    def grow(self, by):\n        pass\n    def _hidden(self):\n        pass\n\n@cache\ndef _private():\n    pass\n"), [
    "+function area: def area(r: float) -> float",
    "+class Shape: class Shape(Base)",
    "+method Shape.grow: def grow(self, by)",
    "-method Shape._hidden: def _hidden(self)",
    "-function _private: def _private()",
  ])
  assert.deepEqual(symbols("go", "package shapes\n\nfunc Area(r float64) float64 { return r }\nfunc helper() {}\nfunc (c *Circle) Grow(by int) {}\ntype Circle struct{ r float64 }\n"), [
    "+function Area: func Area(r float64) float64",
    "-function helper: func helper()",
    "+method Circle.Grow: func (c *Circle) Grow(by int)",
    "+type Circle: type Circle struct",
  ])
  assert.deepEqual(symbols("rust", "pub fn area(r: f64) -> f64 { r }\nfn helper() {}\npub struct Circle { r: f64 }\nimpl Circle { pub fn grow(&mut self, by: f64) {} fn inner(&self) {} }\npub trait Shape { fn area(&self) -> f64; }\n"), [
    "+function area: pub fn area(r: f64) -> f64",
    "-function helper: fn helper()",
    "+class Circle: pub struct Circle",
    "+method Circle.grow: pub fn grow(&mut self, by: f64)",
    "-method Circle.inner: fn inner(&self)",
    "+interface Shape: pub trait Shape",
    "+method Shape.area: fn area(&self) -> f64",
  ])
  assert.deepEqual(symbols("java", "public class Circle { public double area(double r) { return r; } private void hide() {} public Circle() {} }\nclass Local {}\n"), [
    "+class Circle: public class Circle",
    "+method Circle.area: public double area(double r)",
    "-method Circle.hide: private void hide()",
    "+method Circle.Circle: public Circle()",
    "-class Local: class Local",
  ])
})
