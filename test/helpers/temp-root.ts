import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * vitest globalSetup: every temp folder a test makes (mkdtempSync(join(tmpdir(), ...)), the
 * NetBox test server's state, the binaries' own files) goes under one folder for the run, removed
 * at the end — so `npm test` leaves nothing in the system's temp folder, whichever test forgot to
 * clean up after itself. Workers inherit TMPDIR, so os.tmpdir() points there.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "opsgate-test-run-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
