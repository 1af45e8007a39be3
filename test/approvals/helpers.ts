import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { PROJECT_ROOT, runCli as runCliRaw, type CliOptions, type CliResult } from "../helpers/cli.js";

/** A private copy of a fixture folder: tests never touch fixtures/. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-approvals-"));
  cpSync(join(PROJECT_ROOT, "fixtures", name), dir, { recursive: true });
  return dir;
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

export function auditLines(root: string): Record<string, unknown>[] {
  const text = readFileSync(join(root, "audit.jsonl"), "utf8");
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const QUEUE = "approvals/queue";

const keyCache = new Map<string, { path: string; line: string }>();

/** A run-time ssh-keygen key for a principal, made once per test file. */
export function keyOf(principal: string): { path: string; line: string } {
  let key = keyCache.get(principal);
  if (!key) {
    const dir = mkdtempSync(join(tmpdir(), "opsgate-key-"));
    const path = join(dir, "id_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", principal, "-f", path]);
    const [type, blob] = readFileSync(`${path}.pub`, "utf8").trim().split(/\s+/);
    key = { path, line: `${principal} ${type} ${blob}` };
    keyCache.set(principal, key);
  }
  return key;
}

/** Lists the principal's run-time key in the root's allowed_signers (once). */
export function enrol(root: string, principal: string): string {
  const key = keyOf(principal);
  const file = join(root, "allowed_signers");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (!text.includes(key.line)) appendFileSync(file, `${key.line}\n`);
  return key.path;
}

/** A plain principal name (what allowed_signers may list); look-alikes get no key. */
const PLAIN = /^[a-z][a-z0-9._-]*$/;

/**
 * runCli for approval tests written when an actor was a name: a plain `--actor NAME` (or
 * OPSGATE_ACTOR) also gets NAME's run-time key, enrolled in the record's allowed_signers, so the
 * transition is signed as opsgate now requires. Names that are not plain get no key.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = { ...options.env };
  if (args[0] === "manage-approval-state" && !args.includes("--signing-key") && env.OPSGATE_SIGNING_KEY === undefined) {
    const record = args[args.indexOf("--approval-record") + 1];
    const flag = args.indexOf("--actor");
    const actor = flag >= 0 ? args[flag + 1] : env.OPSGATE_ACTOR;
    if (record !== undefined && actor !== undefined && PLAIN.test(actor)) {
      const root = dirname(dirname(resolve(record)));
      if (existsSync(root)) {
        try {
          env.OPSGATE_SIGNING_KEY = enrol(root, actor);
        } catch {
          // A root that cannot be written (a read-only disk under test): the run goes unsigned.
        }
      }
    }
  }
  return runCliRaw(args, { ...options, env });
}
