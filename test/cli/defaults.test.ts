import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli, summaryOf } from "../helpers/cli.js";
import { BATCH, PLAN, SIM, goodBatch } from "./workspace.js";

describe("defaults people expect", () => {
  it("NETBOX_URL stands for --netbox-url (an unreachable NetBox is then exit 3, not a missing flag)", async () => {
    const root = goodBatch();
    const args = ["apply-batch", "--batch-plan", PLAN, "--confirm-batch-id", BATCH, "--operator", "ops.maria"];
    const without = await runCli(args, { cwd: root });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain("--netbox-url");
    const withEnv = await runCli(args, { cwd: root, env: { NETBOX_URL: "http://127.0.0.1:9", OPSGATE_NETBOX_RETRIES: "0" } });
    expect(withEnv.code).toBe(3);
    expect(summaryOf(withEnv)).toMatch(/^BATCH_APPLY_BLOCKED mode=dry_run .*reason=netbox_/);
  });

  it("OPSGATE_OPERATOR stands for --operator; --dry-run is accepted as the default mode", async () => {
    const root = goodBatch();
    const result = await runCli(["apply-batch", "--batch-plan", PLAN, "--confirm-batch-id", BATCH, "--offline", "--dry-run"], { cwd: root, env: { OPSGATE_OPERATOR: "ops.env" } });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { operator: string }).operator).toBe("ops.env");
    const both = await runCli(["apply-batch", "--batch-plan", PLAN, ...SIM, "--dry-run", "--confirm-real-write-batch", "--enable-real-post-implementation"], { cwd: root });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--dry-run cannot be combined");
  });

  it("--plan - and --batch-plan - read the plan from stdin", async () => {
    const plan = readFileSync(join(PROJECT_ROOT, "fixtures/batch/good/plan.json"), "utf8");
    const validate = await runCli(["validate-batch-plan", "--plan", "-", "--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX"], { input: plan });
    expect(validate.code).toBe(0);
    expect(summaryOf(validate)).toMatch(/^BATCH_PLAN_VALIDATION_OK batch_id=BATCH-20260501-1890-001 items=8 /);
    const root = goodBatch();
    const apply = await runCli(["apply-batch", "--batch-plan", "-", "--approvals-dir", "approvals", ...SIM], { cwd: root, input: plan });
    expect(apply.code).toBe(0);
    const noDir = await runCli(["apply-batch", "--batch-plan", "-", ...SIM], { cwd: root, input: plan });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain("needs --approvals-dir");
    const empty = await runCli(["validate-batch-plan", "--plan", "-", "--expected-device-id", "1890", "--expected-device", "X"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("batch plan is empty (stdin)");
  });

  it("completion scripts for bash, zsh and fish, generated from the commands", async () => {
    const bash = await runCli(["completion", "bash"]);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain("complete -o default -F _opsgate_completion opsgate");
    expect(bash.stdout).toContain("'approvals list') words='--approvals-dir --state --output --format --help'");
    expect(spawnSync("bash", ["-n"], { input: bash.stdout }).status).toBe(0);
    // Completing `opsgate apply-batch --format <TAB>` offers the choices.
    const probe = `${bash.stdout}\nCOMP_WORDS=(opsgate apply-batch --format ""); COMP_CWORD=3; _opsgate_completion; echo "\${COMPREPLY[*]}"`;
    expect(spawnSync("bash", ["-c", probe], { encoding: "utf8" }).stdout.trim()).toBe("json table");
    const sub = `${bash.stdout}\nCOMP_WORDS=(opsgate audit ""); COMP_CWORD=2; _opsgate_completion; echo "\${COMPREPLY[*]}"`;
    expect(spawnSync("bash", ["-c", sub], { encoding: "utf8" }).stdout.trim()).toBe("verify show --help");
    const zsh = await runCli(["completion", "zsh"]);
    expect(zsh.stdout.split("\n")[0]).toBe("#compdef opsgate");
    const fish = await runCli(["completion", "fish"]);
    expect(fish.stdout).toContain("complete -c opsgate -n '__fish_seen_subcommand_from apply-batch' -l batch-plan -r -F");
    expect(fish.stdout).toContain("-l format -s o -x -a 'json table'");
  });
});

describe("consistent outcomes", () => {
  it("a wrong --confirm-batch-id is exit 1 (refused) in a dry-run and in a real (simulated) write", async () => {
    const root = goodBatch();
    const wrong = ["--batch-plan", PLAN, "--confirm-batch-id", "BATCH-OTHER", "--operator", "ops.maria", "--simulate", "--netbox-state", "state.json"];
    const dry = await runCli(["apply-batch", ...wrong], { cwd: root });
    const real = await runCli(["apply-batch", ...wrong, "--confirm-real-write-batch", "--enable-real-post-implementation"], { cwd: root });
    expect(dry.code).toBe(1);
    expect(real.code).toBe(1);
    expect(summaryOf(dry)).toMatch(/^BATCH_APPLY_REFUSED mode=dry_run .*reason=batch_id_not_confirmed$/);
    expect(summaryOf(real)).toMatch(/^BATCH_APPLY_REFUSED mode=simulate /);
  });
});
