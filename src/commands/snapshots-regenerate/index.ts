import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { summaryLine } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { snapshotOutputPath } from "../../guards/snapshot-paths.js";
import { captureStdout, writeTextAtomic } from "../../io/files.js";
import { readInputFile } from "../../io/input.js";
import { captureStderr, diag } from "../../io/log.js";
import { parseJson, JsonSyntaxError } from "../../json/read.js";
import { SnapshotManifestSchema, type SnapshotEntry, type SnapshotManifest } from "../../schemas/snapshot-manifest.js";
import { shortDiff } from "./diff.js";

export interface SnapshotsRegenerateOptions {
  check?: boolean;
  root: string;
}

interface Generated {
  entry: SnapshotEntry;
  stdout: string;
  problem?: string;
}

function loadManifest(root: string): SnapshotManifest {
  const path = resolve(root, "snapshots/manifest.json");
  const text = readInputFile(path, "snapshot manifest");
  try {
    const parsed = SnapshotManifestSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(`invalid manifest: ${issue?.message ?? "schema violation"}`, { where: `${path}: ${issue?.path.join(".") ?? ""}` });
    }
    return parsed.data;
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new UserError(`malformed JSON: ${error.message}`, { where: path });
    throw error;
  }
}

/** The commands a snapshot may come from: report generators, not this command itself. */
const GENERATORS = new Set(["build-readback-plan", "validate-batch-plan", "schema", "approvals", "audit"]);

/**
 * Runs one entry in this process, as `opsgate <args>` would run from the project root with
 * NO_COLOR=1 and no SOURCE_DATE_EPOCH: same argument parsing, same exit-code mapping (`main`),
 * stdout and stderr collected. A child process per entry cost ~80 ms of CPU each.
 */
async function generate(root: string, entry: SnapshotEntry): Promise<Generated> {
  const command = entry.args[0] ?? "";
  if (!GENERATORS.has(command)) {
    return { entry, stdout: "", problem: `'${command}' is not a report generator opsgate snapshots can run` };
  }
  const { main } = await import("../../main.js");
  const env = { NO_COLOR: process.env.NO_COLOR, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH };
  const cwd = process.cwd();
  process.env.NO_COLOR = "1";
  process.env.SOURCE_DATE_EPOCH = "";
  process.chdir(root);
  let code: number;
  let stdout: Buffer;
  let stderr: string;
  try {
    ({ result: { result: code, stdout }, stderr } = await captureStderr(() => captureStdout(() => main(["node", "opsgate", ...entry.args]))));
  } finally {
    process.chdir(cwd);
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const text = stdout.toString("utf8");
  if (code === entry.exit_code) return { entry, stdout: text };
  const lastLines = stderr.replace(/\u001b\[[0-9;]*m/g, "").trimEnd().split("\n").slice(-3).join(" | ");
  return { entry, stdout: text, problem: `exited ${String(code)}, expected ${entry.exit_code}: ${lastLines}` };
}

/** One entry at a time: they share this process's stdout, stderr, environment and folder. */
async function generateAll(root: string, entries: SnapshotEntry[]): Promise<Generated[]> {
  const results: Generated[] = [];
  for (const entry of entries) results.push(await generate(root, entry));
  return results;
}

/** Snapshot files no manifest entry produces any more (left behind when a fixture was removed). */
async function orphanSnapshots(root: string, manifest: SnapshotManifest): Promise<string[]> {
  const { default: glob } = await import("fast-glob");
  const produced = new Set(manifest.snapshots.map((entry) => entry.output));
  const files = await glob("snapshots/**/*.json", { cwd: root, ignore: ["snapshots/manifest.json"], dot: false, followSymbolicLinks: false, onlyFiles: true });
  return files.filter((file) => !produced.has(file)).sort();
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export async function runSnapshotsRegenerate(options: SnapshotsRegenerateOptions): Promise<CommandResult> {
  const root = resolve(options.root);
  const manifest = loadManifest(root);
  // Every output is checked before any generator runs: a bad entry writes nothing at all.
  const targets = new Map(manifest.snapshots.map((entry) => [entry.output, snapshotOutputPath(root, entry.output)]));
  const generated = await generateAll(root, manifest.snapshots);
  let drifted = 0;
  let written = 0;
  let failed = 0;
  for (const { entry, stdout, problem } of generated) {
    const target = targets.get(entry.output) ?? snapshotOutputPath(root, entry.output);
    if (problem) {
      failed++;
      diag(`FAILED ${entry.output}: opsgate ${entry.args.join(" ")} ${problem}`);
      continue;
    }
    const current = readIfExists(target);
    if (current === stdout) continue;
    if (options.check) {
      drifted++;
      diag(current === undefined ? `DRIFT ${entry.output}: missing` : `DRIFT ${entry.output}`);
      if (current !== undefined) for (const line of shortDiff(current, stdout)) diag(`  ${line}`);
    } else {
      writeTextAtomic(target, stdout);
      written++;
      diag(`wrote ${entry.output}`);
    }
  }
  const orphans = await orphanSnapshots(root, manifest);
  for (const orphan of orphans) {
    if (options.check) {
      drifted++;
      diag(`DRIFT ${orphan}: no manifest entry produces it any more`);
    } else {
      rmSync(snapshotOutputPath(root, orphan));
      diag(`removed ${orphan} (no manifest entry produces it)`);
    }
  }
  const checked = manifest.snapshots.length;
  if (options.check) {
    if (drifted > 0 || failed > 0) {
      diag("hint: run `opsgate snapshots regenerate` and commit the result if the change is intended");
      return { exitCode: ExitCode.gateRefused, summary: summaryLine("SNAPSHOTS_DRIFT", { checked, drifted, failed }) };
    }
    return { exitCode: ExitCode.ok, summary: summaryLine("SNAPSHOTS_OK", { checked }) };
  }
  const outcome = failed > 0 ? "SNAPSHOTS_FAILED" : "SNAPSHOTS_REGENERATED";
  return {
    exitCode: failed > 0 ? ExitCode.gateRefused : ExitCode.ok,
    summary: summaryLine(outcome, { checked, written, unchanged: checked - written - failed, removed: orphans.length, failed }),
  };
}
