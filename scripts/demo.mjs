// npm run demo: opsgate's whole lifecycle on the bundled fixtures, in a temporary folder (the repo
// is untouched): keys, a signed request, a signed approval by a second key, validate, dry-run,
// simulated real write, audit verify, readback plan.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdtempSync } from "node:fs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/opsgate.js");
const work = mkdtempSync(join(tmpdir(), "opsgate-demo-"));
const BATCH = "BATCH-20260501-1890-001";
const PLAN = "approvals/approved/batch-apply-plan-20260501.json";

/** Runs one opsgate command; shows its summary line and a few lines of its report. */
function step(title, args, { okCodes = [0], show = 6 } = {}) {
  console.log(`\n## ${title}\n$ opsgate ${args.join(" ")}`);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const stderr = result.stderr.trimEnd().split("\n");
  if (!okCodes.includes(result.status ?? -1)) {
    console.error(result.stderr);
    console.error(`demo step failed (${title}): exit ${result.status}`);
    process.exit(1);
  }
  const lines = result.stdout.split("\n");
  if (show > 0 && result.stdout) console.log(lines.length > show ? `${lines.slice(0, show).join("\n")}\n  ... (${lines.length} lines of JSON)` : result.stdout.trimEnd());
  for (const line of stderr.slice(0, -1).slice(-4)) console.log(`  ${line}`);
  console.log(`=> exit ${result.status}: ${stderr.at(-1)}`);
  return result;
}

console.log(`opsgate demo in ${work}`);

// Identities are SSH keys: one for the requester, one for the approver (ssh-keygen, as for git).
function keygen(name) {
  const path = join(work, "keys", name);
  mkdirSync(join(work, "keys"), { recursive: true });
  console.log(`$ ssh-keygen -t ed25519 -N '' -C ${name} -f keys/${name}`);
  const result = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path], { encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`ssh-keygen failed (install OpenSSH: apt-get install openssh-client): ${result.stderr ?? result.error}`);
    process.exit(1);
  }
  return `keys/${name}`;
}
console.log("\n## 0. keys and allowed_signers (who is who: reviewed and committed like any file)");
const maria = keygen("ops.maria");
const ana = keygen("ana.approver");
mkdirSync(join(work, "approvals/approved"), { recursive: true });
cpSync(join(ROOT, "fixtures/batch/good/approvals/approved/batch-apply-plan-20260501.json"), join(work, PLAN));
const signer = (principal, key) => `${principal} ${readFileSync(join(work, `${key}.pub`), "utf8").trim().split(/\s+/).slice(0, 2).join(" ")}`;
writeFileSync(join(work, "approvals/allowed_signers"), `${signer("ops.maria", maria)}\n${signer("ana.approver", ana)}\n`);
console.log(readFileSync(join(work, "approvals/allowed_signers"), "utf8").trimEnd().replace(/^/gm, "  "));
writeFileSync(
  join(work, "netbox-state.json"),
  JSON.stringify({
    schema_version: "netbox_state_v1",
    netbox_version: "4.4.0",
    objects: { "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }], "dcim.device": [{ id: 1890, name: "4WNET-MNS-KTG-RX", site: 21 }] },
  }),
);

for (const id of ["approval-0007", "approval-0008"]) {
  step(`1. ops.maria requests ${id}: a signed proposed record, every hash computed`, ["approvals", "new", "--plan", PLAN, "--approval-id", id, "--risk-level", "medium", "--summary", `KTG uplink work order, ${id}`, "--signing-key", maria], { show: 0 });
  step(`1. ops.maria submits ${id} (signed)`, ["manage-approval-state", "--approval-record", `approvals/proposed/${id}.json`, "--action", "submit", "--reason", "Ready for review", "--signing-key", maria], { show: 0 });
}
step("1. ops.maria cannot approve her own request (four eyes, by key)", ["manage-approval-state", "--approval-record", "approvals/pending/approval-0007.json", "--action", "approve", "--reason", "Reviewed the KTG uplink and its addresses", "--signing-key", maria], { okCodes: [1], show: 0 });
for (const id of ["approval-0007", "approval-0008"]) {
  step(`1. ana.approver approves ${id} with her key`, ["manage-approval-state", "--approval-record", `approvals/pending/${id}.json`, "--action", "approve", "--reason", "Reviewed the KTG window, rollback owner and IP plan", "--signing-key", ana], { show: 0 });
}
step("2. validate the plan (signatures verified in-process against allowed_signers)", ["validate-batch-plan", "--plan", PLAN, "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX"], { show: 0 });
const common = ["--batch-plan", PLAN, "--confirm-batch-id", BATCH, "--operator", "ops.maria", "--simulate", "--netbox-state", "netbox-state.json"];
step("3. dry-run against the NetBox simulator (recorded as ready)", ["apply-batch", ...common], { show: 0 });
const write = step("4. simulated real write: every gate, the ledger, bulk POSTs, read-back", ["apply-batch", ...common, "--confirm-real-write-batch", "--enable-real-post-implementation"], { show: 0 });
const report = JSON.parse(write.stdout);
console.log(`  gates: ${report.gates.map((g) => `${g.gate_id}=${g.status}`).join(" ")}`);
for (const c of report.created) console.log(`  created ${c.object_type} ${c.netbox_id} for ${c.item_id}`);
step("5. verify the audit log's hash chain and every signature's anchor in it", ["audit", "verify", "--log", "approvals/audit.jsonl", "--approvals-dir", "approvals"], { show: 0 });

cpSync(join(ROOT, "fixtures/readback/basic/source.json"), join(work, "docs/security/monitoring-owner-response-acceptance.snapshot.json"), { recursive: true });
step("6. post-incident readback plan", ["build-readback-plan", "--root", ".", "--output", "docs/security/monitoring-post-incident-readback-plan.snapshot.json"], { show: 0 });
console.log(`\ndemo done; files are in ${work} (ledger: batch-results/${BATCH}/simulate/ledger.jsonl)`);

// The same files in the read-only dashboard (every page reads them again on reload).
const serveArgs = ["serve", "--approvals-dir", join(work, "approvals"), "--results-dir", join(work, "batch-results"), "--reports-dir", join(work, "docs/security")];
console.log(`\n## 7. look at it in the browser (read-only dashboard on http://127.0.0.1:8890/)\n$ node ${BIN} ${serveArgs.join(" ")}`);
