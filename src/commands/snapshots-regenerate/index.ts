import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { summaryLine } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { snapshotOutputPath } from "../../guards/snapshot-paths.js";
import { writeTextAtomic } from "../../io/files.js";
import { readInputFile } from "../../io/input.js";
import { diag } from "../../io/log.js";
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

/** Runs this same opsgate binary with the entry's arguments, from the project root. */
function generate(root: string, entry: SnapshotEntry): Promise<Generated> {
  return new Promise((done, fail) => {
    const script = process.argv[1] ?? "";
    const child = spawn(process.execPath, [script, ...entry.args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", fail);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      if (code === entry.exit_code) {
        done({ entry, stdout });
        return;
      }
      const lastLines = Buffer.concat(err).toString("utf8").trimEnd().split("\n").slice(-3).join(" | ");
      done({ entry, stdout, problem: `exited ${String(code)}, expected ${entry.exit_code}: ${lastLines}` });
    });
  });
}

/** Two runs at a time: the machine has two cores. */
async function generateAll(root: string, entries: SnapshotEntry[]): Promise<Generated[]> {
  const results: Generated[] = new Array<Generated>(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const index = next++;
      const entry = entries[index];
      if (entry) results[index] = await generate(root, entry);
    }
  };
  await Promise.all([worker(), worker()]);
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
