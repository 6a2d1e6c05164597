#!/usr/bin/env node
import { readFileSync } from "node:fs"
import { countWords } from "../src/count.js"

const file = process.argv[2]
if (!file) {
  console.error("usage: count <file>")
  process.exit(1)
}
console.log(`${countWords(readFileSync(file, "utf8"))} words`)
