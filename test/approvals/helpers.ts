import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/cli.js";

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
