import * as z from "./zod.js";

/** `snapshots/manifest.json`: which generator run produces which committed snapshot. */
export const SnapshotEntrySchema = z.strictObject({
  /** The snapshot file, relative to the project root. */
  output: z.string().check(z.minLength(1)),
  /** opsgate arguments, run from the project root; the report is taken from stdout. */
  args: z.array(z.string()).check(z.minLength(1)),
  /** The exit code the run must end with (1 for a snapshot of a refused gate). */
  exit_code: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(4)), 0),
});

export const SnapshotManifestSchema = z.strictObject({
  schema_version: z.literal("snapshot_manifest_v1"),
  snapshots: z.array(SnapshotEntrySchema),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;
export type SnapshotEntry = z.infer<typeof SnapshotEntrySchema>;
