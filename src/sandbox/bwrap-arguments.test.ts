import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { bwrapArguments, shellQuote } from "./bwrap-arguments.js"

const scope = { writable: ["/w/task"], readOnly: ["/w/task/.git"], hiddenFolders: ["/home/u/.ssh"], hiddenFiles: ["/home/u/.netrc"], temp: "/t/T1", network: false }

test("the machine is mounted read-only first, then the writable folders, then what stays read-only or hidden inside them", () => {
  const args = bwrapArguments(scope)
  const at = (...words: string[]) => args.findIndex((_, index) => words.every((word, offset) => args[index + offset] === word))
  assert.equal(at("--ro-bind", "/", "/"), 0)
  assert.ok(at("--bind", "/w/task", "/w/task") > 0)
  assert.ok(at("--ro-bind", "/w/task/.git", "/w/task/.git") > at("--bind", "/w/task", "/w/task"))
  assert.ok(at("--tmpfs", "/home/u/.ssh") > 0)
  assert.ok(at("--ro-bind", "/dev/null", "/home/u/.netrc") > 0)
  assert.ok(args.includes("--unshare-all") && args.includes("--die-with-parent"))
  assert.equal(args.includes("--share-net"), false, "no network unless asked")
  assert.ok(bwrapArguments({ ...scope, network: true }).includes("--share-net"))
  assert.ok(at("--setenv", "TMPDIR", "/t/T1") > 0)
})

test("a quoted word reaches the shell as it was", () => {
  for (const word of ["plain", "it's", "a b", "$HOME", "`x`", "\\", "", "line\nbreak", "'\"'"]) {
    assert.equal(execFileSync("sh", ["-c", `printf %s ${shellQuote(word)}`], { encoding: "utf8" }), word)
  }
})
