#!/usr/bin/env node
import { readFileSync } from "node:fs"
import { countCharacters, countLines, countWords } from "../src/count.js"

const args = process.argv.slice(2)
const json = args.includes("--json")
const file = args.find((arg) => arg !== "--json")
if (!file) {
  console.error("usage: count [--json] <file>")
  process.exit(1)
}
const text = readFileSync(file, "utf8")
if (json) console.log(JSON.stringify({ words: countWords(text), lines: countLines(text), characters: countCharacters(text) }))
else console.log(`${countWords(text)} words`)
