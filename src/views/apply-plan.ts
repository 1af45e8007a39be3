import type { BatchApplyDryRunReport } from "../apply/report.js";
import type { RunReport } from "../apply/real/report.js";

/**
 * The apply plan as people read it (`terraform plan`): the objects grouped by dependency level and
 * object type, the key fields of each, `$ref` edges to the item they name, what already exists,
 * and — after a real write — what was created (with its NetBox URL), rolled back or left. Pure
 * data from an apply-batch report: the terminal and the dashboard draw the same view.
 */
export type ApplyItemStatus = "create" | "exists" | "created" | "rolled_back" | "left" | "not_created";

export interface ApplyPlanField {
  name: string;
  value: string;
}

export interface ApplyPlanRef {
  /** Where in the payload, e.g. `lag` or `tagged_vlans[0]`. */
  field: string;
  /** The item the `$ref` names. */
  item_id: string;
}

export interface ApplyPlanItem {
  item_id: string;
  object_type: string;
  level: number;
  fields: ApplyPlanField[];
  refs: ApplyPlanRef[];
  status: ApplyItemStatus;
  netbox_id: number | null;
  url: string | null;
  /** Why it is left, what NetBox calls the existing object, ... */
  note: string | null;
}

export interface ApplyPlanGroup {
  level: number;
  object_type: string;
  /** The bulk request that carries the group (`POST /api/dcim/interfaces/`). */
  method: string;
  path: string;
  items: ApplyPlanItem[];
}

export interface ApplyPlanProblem {
  source: string;
  item_id: string | null;
  path: string | null;
  message: string;
}

export interface ApplyPlanCounts {
  items: number;
  to_create: number;
  exist: number;
  created: number;
  rolled_back: number;
  left: number;
  requests: number;
}

export type ApplyPlanTone = "ok" | "warn" | "bad";

export interface ApplyPlanView {
  kind: "apply_plan";
  mode: string;
  /** The dry-run verdict (ready|blocked|invalid) or the run's outcome (applied|rolled_back|...). */
  outcome: string;
  tone: ApplyPlanTone;
  batch_id: string | null;
  device: string | null;
  operator: string;
  generated_at: string;
  netbox: string;
  run_id: string | null;
  groups: ApplyPlanGroup[];
  counts: ApplyPlanCounts;
  /** `Plan: 8 to create, 0 exist.` and its kin: the one line a person looks for. */
  headline: string;
  gates: { gate_id: string; status: string; message: string }[];
  problems: ApplyPlanProblem[];
  failure: string | null;
  warnings: string[];
  approvals: { approval_id: string; status: string; message: string }[];
}

export type ApplyReport = BatchApplyDryRunReport | RunReport;

/** A plan item as the plan file holds it (only what the view needs). */
export interface ApplyPlanSourceItem {
  item_id: string;
  object_type: string;
  depends_on: readonly string[];
  staged_payload: Record<string, unknown>;
}

/**
 * Optional: the plan's items. A real run's report does not repeat the payloads, so with the plan
 * the view still shows each object's key fields and `$ref` edges (and a refused run its plan).
 */
export interface ApplyPlanContext {
  items?: readonly ApplyPlanSourceItem[];
}

/** The fields that name an object of each type, in the order people say them. */
const KEY_FIELDS: Record<string, readonly string[]> = {
  "ipam.vlan": ["vid", "name", "status"],
  "ipam.prefix": ["prefix", "vrf", "status"],
  "dcim.interface": ["name", "type", "mode", "mtu", "enabled"],
  "ipam.ipaddress": ["address", "status", "role", "dns_name"],
};
const FALLBACK_FIELDS = ["name", "display", "slug", "address", "prefix"];

type Json = unknown;
type Payload = Record<string, Json>;

function isRef(value: Json): value is { $ref: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { $ref?: unknown }).$ref === "string";
}

/** Every `{"$ref": ID}` in a payload, with its field path, in document order. */
export function payloadRefs(payload: Payload): ApplyPlanRef[] {
  const found: ApplyPlanRef[] = [];
  const visit = (node: Json, path: string): void => {
    if (isRef(node)) found.push({ field: path, item_id: node.$ref });
    else if (Array.isArray(node)) node.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (typeof node === "object" && node !== null) for (const [key, item] of Object.entries(node)) visit(item, path === "" ? key : `${path}.${key}`);
  };
  visit(payload, "");
  return found;
}

function scalarText(value: Json): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The key fields of a payload (never a `$ref`, never a nested object). */
export function keyFields(objectType: string, payload: Payload): ApplyPlanField[] {
  const names = KEY_FIELDS[objectType] ?? FALLBACK_FIELDS;
  const fields: ApplyPlanField[] = [];
  for (const name of names) {
    const text = Object.hasOwn(payload, name) ? scalarText(payload[name]) : undefined;
    if (text !== undefined && text !== "") fields.push({ name, value: text });
  }
  return fields;
}

interface Planned {
  item_id: string;
  object_type: string;
  level: number;
  method: string;
  path: string;
  payload: Payload | undefined;
}

/** Dependency level of each item: 0 without dependencies, else one more than its deepest one. */
function levelsOf(items: readonly ApplyPlanSourceItem[]): Map<string, number> {
  const byId = new Map(items.map((item) => [item.item_id, item]));
  const levels = new Map<string, number>();
  const levelOf = (id: string, seen: Set<string>): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = byId.get(id)?.depends_on.filter((dep) => byId.has(dep)) ?? [];
    const level = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => levelOf(dep, seen)));
    levels.set(id, level);
    return level;
  };
  for (const item of items) levelOf(item.item_id, new Set());
  return levels;
}

const TYPE_ORDER = ["ipam.vlan", "ipam.prefix", "dcim.interface", "ipam.ipaddress"];
const typeRank = (type: string): number => (TYPE_ORDER.includes(type) ? TYPE_ORDER.indexOf(type) : TYPE_ORDER.length);

function plannedFromPlan(items: readonly ApplyPlanSourceItem[]): Planned[] {
  const levels = levelsOf(items);
  const planned = items.map((item) => ({
    item_id: item.item_id,
    object_type: item.object_type,
    level: levels.get(item.item_id) ?? 0,
    method: "POST",
    path: "",
    payload: item.staged_payload,
  }));
  return planned.sort((a, b) => a.level - b.level || typeRank(a.object_type) - typeRank(b.object_type));
}

function plannedItems(report: ApplyReport, context: ApplyPlanContext): Planned[] {
  const fromReport = plannedFromReport(report);
  const items = context.items;
  if (!items) return fromReport;
  if (fromReport.length === 0) return plannedFromPlan(items);
  const payloads = new Map(items.map((item) => [item.item_id, item.staged_payload]));
  return fromReport.map((entry) => ({ ...entry, payload: entry.payload ?? payloads.get(entry.item_id) }));
}

function plannedFromReport(report: ApplyReport): Planned[] {
  const planned: Planned[] = [];
  for (const request of report.requests as unknown as readonly Record<string, unknown>[]) {
    if (report.mode !== "dry_run" && request.phase !== "write") continue;
    const itemIds = (request.item_ids as string[] | undefined) ?? [];
    const payloads = (request.payload as Payload[] | undefined) ?? [];
    itemIds.forEach((itemId, index) => {
      planned.push({
        item_id: itemId,
        object_type: String(request.object_type),
        level: typeof request.level === "number" ? request.level : 0,
        method: String(request.method),
        path: String(request.path),
        payload: payloads[index],
      });
    });
  }
  return planned;
}

function statusOf(report: ApplyReport, itemId: string, lookups: Lookups): Pick<ApplyPlanItem, "status" | "netbox_id" | "url" | "note"> {
  const left = lookups.left.get(itemId);
  if (left) return { status: "left", netbox_id: left.netbox_id, url: left.url, note: left.why };
  const created = lookups.created.get(itemId);
  if (created) {
    const undone = report.mode !== "dry_run" && (report.outcome === "rolled_back" || report.outcome === "rollback_incomplete");
    return { status: undone ? "rolled_back" : "created", netbox_id: created.netbox_id, url: undone ? null : created.url, note: null };
  }
  const existing = lookups.existing.get(itemId);
  if (existing) return { status: "exists", netbox_id: existing.netbox_id, url: existing.url, note: existing.display };
  if (report.mode === "dry_run" || report.outcome === "refused" || report.outcome === "blocked") return { status: "create", netbox_id: null, url: null, note: null };
  return { status: "not_created", netbox_id: null, url: null, note: null };
}

interface Lookups {
  existing: Map<string, { netbox_id: number; url: string | null; display: string | null }>;
  created: Map<string, { netbox_id: number; url: string | null }>;
  left: Map<string, { netbox_id: number | null; url: string | null; why: string }>;
}

function lookupsOf(report: ApplyReport): Lookups {
  const run = report.mode === "dry_run" ? undefined : report;
  return {
    existing: new Map(report.existing.map((e) => [e.item_id, e])),
    created: new Map((run?.created ?? []).map((c) => [c.item_id, c])),
    left: new Map((run?.left_in_netbox ?? []).map((l) => [l.item_id, l])),
  };
}

function groupsOf(report: ApplyReport, context: ApplyPlanContext): ApplyPlanGroup[] {
  const lookups = lookupsOf(report);
  const groups: ApplyPlanGroup[] = [];
  const index = new Map<string, ApplyPlanGroup>();
  for (const entry of plannedItems(report, context)) {
    const key = `${entry.level}\u0000${entry.object_type}`;
    let group = index.get(key);
    if (!group) {
      group = { level: entry.level, object_type: entry.object_type, method: entry.method, path: entry.path, items: [] };
      index.set(key, group);
      groups.push(group);
    }
    group.items.push({
      item_id: entry.item_id,
      object_type: entry.object_type,
      level: entry.level,
      fields: entry.payload ? keyFields(entry.object_type, entry.payload) : [],
      refs: entry.payload ? payloadRefs(entry.payload) : [],
      ...statusOf(report, entry.item_id, lookups),
    });
  }
  groups.sort((a, b) => a.level - b.level);
  return groups;
}

function problemsOf(report: ApplyReport): ApplyPlanProblem[] {
  const problems: ApplyPlanProblem[] = [];
  for (const check of report.validation.checks) {
    for (const f of check.findings) problems.push({ source: check.check_id, item_id: f.item_id ?? null, path: f.path ?? null, message: f.message });
  }
  for (const f of report.preflight_findings) problems.push({ source: "preflight", item_id: f.item_id ?? null, path: null, message: f.message });
  return problems;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function headlineOf(report: ApplyReport, counts: ApplyPlanCounts, failedChecks: number): { headline: string; tone: ApplyPlanTone } {
  const plan = `${counts.to_create} to create, ${counts.exist} exist`;
  if (report.mode === "dry_run") {
    if (report.verdict === "invalid") return { headline: `Plan invalid: ${plural(failedChecks, "check")} failed; nothing would be written.`, tone: "bad" };
    if (report.verdict === "blocked") {
      const why = counts.exist > 0 ? "all-or-none: objects already exist" : "the preflight found a problem";
      return { headline: `Plan: ${plan}. Blocked (${why}); nothing would be written.`, tone: "bad" };
    }
    const unchecked = report.netbox.preflight === "skipped_offline" ? " (offline: NetBox not checked)" : "";
    return { headline: `Plan: ${plan}.${unchecked}`, tone: unchecked ? "warn" : "ok" };
  }
  const refused = report.gates.find((gate) => gate.status === "fail");
  switch (report.outcome) {
    case "applied":
      return { headline: `Applied: ${counts.created} created and verified.`, tone: "ok" };
    case "rolled_back":
      return report.mode === "recover"
        ? { headline: "Recovered: everything the interrupted run created is deleted.", tone: "ok" }
        : { headline: `Rolled back: ${plural(counts.rolled_back, "object")} created then deleted; NetBox is as before.`, tone: "bad" };
    case "rollback_incomplete":
      return { headline: `Needs a human: ${counts.left} left in NetBox (apply-batch --recover lists them).`, tone: "bad" };
    case "blocked":
      return { headline: `Blocked: ${plan}; all-or-none, nothing was written.`, tone: "bad" };
    default:
      return { headline: `Refused${refused ? ` at gate ${refused.gate_id}` : ""}: nothing was written.`, tone: "bad" };
  }
}

export function applyPlanView(report: ApplyReport, context: ApplyPlanContext = {}): ApplyPlanView {
  const groups = groupsOf(report, context);
  const items = groups.flatMap((group) => group.items);
  const count = (status: ApplyItemStatus): number => items.filter((item) => item.status === status).length;
  const run = report.mode === "dry_run" ? undefined : report;
  const counts: ApplyPlanCounts = {
    items: report.summary.item_count,
    to_create: count("create") + count("not_created"),
    exist: report.existing.length,
    created: run ? run.summary.created_count : 0,
    rolled_back: count("rolled_back"),
    left: run ? run.left_in_netbox.length : 0,
    requests: run ? run.summary.write_request_count : report.requests.length,
  };
  const failedChecks = report.validation.checks.filter((check) => check.status === "fail").length;
  const { headline, tone } = headlineOf(report, counts, failedChecks);
  return {
    kind: "apply_plan",
    mode: report.mode,
    outcome: report.mode === "dry_run" ? report.verdict : report.outcome,
    tone,
    batch_id: report.batch_id,
    device: report.device ? `${report.device.name} (${report.device.id})` : null,
    operator: report.operator,
    generated_at: report.generated_at,
    netbox: report.netbox.target === "netbox" ? (report.netbox.url ?? "NetBox") : report.netbox.target === "simulator" ? "simulator" : "offline (not checked)",
    run_id: run ? run.run_id : null,
    groups,
    counts,
    headline,
    gates: run ? run.gates.map((g) => ({ gate_id: g.gate_id, status: g.status, message: g.message })) : [],
    problems: problemsOf(report),
    failure: run?.failure ? `${run.failure.seq !== null ? `request ${run.failure.seq}: ` : ""}${run.failure.message}` : null,
    warnings: run ? run.warnings : [],
    approvals: run ? run.approvals.map((a) => ({ ...a })) : [],
  };
}
