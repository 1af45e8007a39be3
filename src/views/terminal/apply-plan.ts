import type { ApplyItemStatus, ApplyPlanItem, ApplyPlanView } from "../apply-plan.js";
import { screen, type Style, type Term } from "./style.js";

/**
 * The apply plan in the terminal, as `terraform plan` prints one: objects by dependency level and
 * type, one line per object with its key fields, `$ref` edges as arrows, then the one-line verdict.
 */
const MARKS: Record<ApplyItemStatus, string> = {
  create: "+",
  exists: "=",
  created: "✓",
  rolled_back: "-",
  left: "!",
  not_created: "·",
};

/** A group longer than this shows its first objects and a count (the JSON report has all). */
export const MAX_ITEMS_PER_GROUP = 50;

function markOf(status: ApplyItemStatus, style: Style): string {
  const mark = MARKS[status];
  if (status === "create" || status === "created") return style.green(mark);
  if (status === "exists") return style.yellow(mark);
  if (status === "rolled_back" || status === "left") return style.red(mark);
  return style.dim(mark);
}

function statusNote(item: ApplyPlanItem, style: Style): string {
  const at = item.url ?? (item.netbox_id !== null ? `#${item.netbox_id}` : "");
  switch (item.status) {
    case "exists":
      return style.yellow(`exists in NetBox${at ? ` ${at}` : ""}`);
    case "created":
      return style.green(`created ${at}`.trimEnd());
    case "rolled_back":
      return style.red(`rolled back${item.netbox_id !== null ? ` (was #${item.netbox_id})` : ""}`);
    case "left":
      return style.red(`LEFT IN NETBOX ${at}${item.note ? ` — ${item.note}` : ""}`.trimEnd());
    case "not_created":
      return style.dim("not created");
    default:
      return "";
  }
}

function itemLines(item: ApplyPlanItem, idWidth: number, style: Style): string[] {
  const fields = item.fields.map((f) => `${style.dim(`${f.name}=`)}${f.value}`).join(" ");
  const note = statusNote(item, style);
  const lines = [`    ${markOf(item.status, style)} ${style.bold(item.item_id.padEnd(idWidth))}  ${[fields, note].filter(Boolean).join("  ")}`];
  // Under the fields: "$ref field → the item it names".
  for (const ref of item.refs) lines.push(`        ${" ".repeat(idWidth)}${style.dim(`${ref.field} →`)} ${style.cyan(ref.item_id)}`);
  return lines;
}

function header(view: ApplyPlanView, style: Style): string[] {
  const mode = view.mode === "dry_run" ? "dry-run" : view.mode;
  const facts = [view.device ? `device ${view.device}` : undefined, `operator ${view.operator}`, `NetBox ${view.netbox}`, view.run_id ? `run ${view.run_id}` : undefined].filter(Boolean);
  return [`${style.bold(`apply-batch ${mode}`)}: batch ${view.batch_id ? style.bold(view.batch_id) : "(unknown)"}`, style.dim(`  ${facts.join(", ")}`)];
}

function tone(view: ApplyPlanView, style: Style): (text: string) => string {
  return view.tone === "ok" ? style.green : view.tone === "warn" ? style.yellow : style.red;
}

export function renderApplyPlan(view: ApplyPlanView, term: Term): string {
  const { style } = term;
  const lines = header(view, style);
  const failedGates = view.gates.filter((gate) => gate.status === "fail");
  let level = -1;
  for (const group of view.groups) {
    if (group.level !== level) {
      level = group.level;
      lines.push("", style.bold(`Level ${level}`) + style.dim(level === 0 ? "  (depends on nothing in the batch)" : `  (after level ${level - 1})`));
    }
    const request = group.path ? style.dim(`  ${group.method} ${group.path}`) : "";
    lines.push(`  ${style.cyan(group.object_type)} ${style.dim(`(${group.items.length})`)}${request}`);
    const shown = group.items.slice(0, MAX_ITEMS_PER_GROUP);
    const idWidth = Math.min(32, Math.max(...shown.map((item) => item.item_id.length)));
    for (const item of shown) lines.push(...itemLines(item, idWidth, style));
    if (group.items.length > shown.length) lines.push(style.dim(`    … ${group.items.length - shown.length} more ${group.object_type} (the JSON report lists every one: --format json)`));
  }
  if (failedGates.length > 0) {
    lines.push("", style.bold("Gates refused"));
    for (const gate of failedGates) lines.push(`  ${style.red("✗")} ${gate.gate_id}: ${gate.message}`);
  }
  if (view.problems.length > 0) {
    lines.push("", style.bold("Problems"));
    for (const problem of view.problems.slice(0, 30)) {
      const where = [problem.item_id, problem.path].filter(Boolean).join(" ");
      lines.push(`  ${style.red("✗")} ${problem.source}: ${where ? `${where}: ` : ""}${problem.message}`);
    }
    if (view.problems.length > 30) lines.push(style.dim(`  … ${view.problems.length - 30} more in the JSON report`));
  }
  if (view.failure) lines.push("", `${style.red("Failure")}: ${view.failure}`);
  for (const warning of view.warnings) lines.push(`${style.yellow("warning")}: ${warning}`);
  for (const approval of view.approvals) lines.push(`approval ${approval.approval_id}: ${approval.status} (${approval.message})`);
  lines.push("", style.bold(tone(view, style)(view.headline)));
  return screen(lines, term);
}
