import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/cli.js";

export const PLAN = "approvals/approved/batch-apply-plan-20260501.json";
export const BATCH = "BATCH-20260501-1890-001";

/** The bundled good batch (8 items, two approvals) in a temp folder, with a simulator state. */
export function goodBatch(existing: Record<string, unknown>[] = []): string {
  const root = mkdtempSync(join(tmpdir(), "opsgate-views-"));
  cpSync(join(PROJECT_ROOT, "fixtures/batch/good/approvals"), join(root, "approvals"), { recursive: true });
  writeFileSync(
    join(root, "state.json"),
    JSON.stringify({
      schema_version: "netbox_state_v1",
      netbox_version: "4.4.0",
      objects: { "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }], "dcim.device": [{ id: 1890, name: "4WNET-MNS-KTG-RX", site: 21 }], "dcim.interface": existing },
    }),
  );
  return root;
}

export const SIM = ["--confirm-batch-id", BATCH, "--operator", "ops.maria", "--simulate", "--netbox-state", "state.json", "--generated-at", "2026-05-01T10:00:00+08:00"];
