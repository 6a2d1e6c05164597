import { test } from "node:test"
import assert from "node:assert/strict"
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { CommandSandbox, openSandbox } from "./command-sandbox.js"
import { probeSandbox } from "./sandbox-probe.js"

// The sandbox on this machine: bubblewrap is required here (.ci/run installs it); on a Linux
// machine without it these fail and say so.
const linux = process.platform === "linux"

function repository(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "sandbox-unit-"))
  const run = (...args: string[]) => execFileSync("git", args, { cwd: root })
  run("init", "-q")
  writeFileSync(path.join(root, "a.txt"), "a\n")
  run("add", "a.txt")
  run("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "a")
  return root
}

function runIn(sandbox: CommandSandbox, command: string, directory: string, options: { network?: boolean; userCheckout?: boolean } = {}) {
  const line = sandbox.wrap(command, { directory, key: "T1", network: options.network ?? false, userCheckout: options.userCheckout })
  return spawnSync("bash", ["-c", line], { cwd: directory, encoding: "utf8" })
}

test("bubblewrap is there and starts a sandbox", { skip: !linux }, () => {
  const probe = probeSandbox()
  assert.ok(probe.available, probe.available ? "" : probe.reason)
})

test("a sandboxed command writes its folder and temp dir, and nothing else: not the checkout's .git, not a sibling", { skip: !linux }, () => {
  const root = repository()
  const sibling = mkdtempSync(path.join(os.tmpdir(), "sandbox-sibling-"))
  writeFileSync(path.join(sibling, "keep.txt"), "keep\n")
  const sandbox = new CommandSandbox(probeSandbox(), `m-unit-${path.basename(root)}`, false)
  try {
    const inside = runIn(sandbox, 'echo ok > b.txt && echo t > "$TMPDIR/t" && cat b.txt "$TMPDIR/t"', root)
    assert.equal(inside.stdout, "ok\nt\n", inside.stderr)
    assert.equal(readFileSync(path.join(root, "b.txt"), "utf8"), "ok\n")
    const git = runIn(sandbox, "echo x >> .git/config; echo x > .git/hooks/pre-commit", root)
    assert.notEqual(git.status, 0)
    assert.equal(existsSync(path.join(root, ".git", "hooks", "pre-commit")), false)
    const launcher = sandbox.launcher({ directory: root, key: "T1", network: false })!
    const tamper = runIn(sandbox, `echo 'exec sh -c "$1"' > ${launcher}; ls "$(dirname ${launcher})" > /dev/null`, root)
    assert.match(tamper.stderr, /Read-only/, "a launcher cannot be changed from inside: it runs outside")
    const outside = runIn(sandbox, `rm -rf ${sibling}; echo x > ${sibling}/new.txt`, root)
    assert.notEqual(outside.status, 0)
    assert.equal(readFileSync(path.join(sibling, "keep.txt"), "utf8"), "keep\n")
    assert.equal(existsSync(path.join(sibling, "new.txt")), false)
  } finally {
    sandbox.close()
  }
})

test("in the user's checkout the host's config and the mission's folder stay read-only", { skip: !linux }, () => {
  const root = repository()
  mkdirSync(path.join(root, ".opencode", "plugin"), { recursive: true })
  writeFileSync(path.join(root, "opencode.json"), "{}\n")
  const sandbox = new CommandSandbox(probeSandbox(), `m-unit-${path.basename(root)}`, false)
  try {
    const result = runIn(sandbox, "echo x > .opencode/plugin/evil.js; echo '{\"x\":1}' > opencode.json; echo fine > src.txt", root, { userCheckout: true })
    assert.match(result.stderr, /Read-only/)
    assert.equal(existsSync(path.join(root, ".opencode", "plugin", "evil.js")), false)
    assert.equal(readFileSync(path.join(root, "opencode.json"), "utf8"), "{}\n")
    assert.equal(readFileSync(path.join(root, "src.txt"), "utf8"), "fine\n")
  } finally {
    sandbox.close()
  }
})

test("there is no network unless it is kept", { skip: !linux }, () => {
  const root = repository()
  const sandbox = new CommandSandbox(probeSandbox(), `m-unit-${path.basename(root)}`, false)
  try {
    const links = (network: boolean) => runIn(sandbox, "cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | sort | tr '\\n' ' '", root, { network }).stdout.trim()
    assert.equal(links(false), "lo")
    assert.notEqual(links(true), "lo", "the host's interfaces are there when the network is kept")
  } finally {
    sandbox.close()
  }
})

test("sandbox modes: off runs commands as they are; required refuses when none can be had; auto goes on and says why", () => {
  const none = () => ({ available: false as const, reason: "bubblewrap is not installed" })
  const off = openSandbox("off", none, "m-x", false)
  assert.ok(off.ok && off.value.wrap("echo hi", { directory: "/x", key: "T", network: false }) === "echo hi")
  assert.ok(off.ok && off.value.opening.kind === "none" && /off/.test(off.value.opening.reason!))
  const required = openSandbox("required", none, "m-x", false)
  assert.ok(!required.ok && /bubblewrap is not installed/.test(required.error))
  const auto = openSandbox("auto", none, "m-x", false)
  assert.ok(auto.ok && auto.value.opening.kind === "none" && auto.value.opening.reason === "bubblewrap is not installed")
  assert.equal(auto.ok && auto.value.wrap("echo hi", { directory: "/x", key: "T", network: false }), "echo hi")
})
