import { objectTypeRule, type RefTarget } from "../../netbox/object-types.js";
import { collectRefs } from "../../schemas/batch-plan.js";
import { formatJsonPath, type Finding } from "../../schemas/findings.js";
import { quoted, type ItemView } from "../view.js";
import { dependencyCycles } from "./cycles.js";
import { SKIPPED, itemFinding, type Check } from "./types.js";

/** The object type a `$ref` in `field` must name, or why none can be named. */
function expectedRefType(target: RefTarget | undefined, payload: Record<string, unknown>): { type?: string; why?: string } {
  if (!target) return { why: "cannot hold a $ref (no batch-created object type belongs there)" };
  if ("type" in target) return { type: target.type };
  const named = payload[target.typeFromField];
  if (typeof named !== "string") return { why: `needs staged_payload.${target.typeFromField} to say what it references` };
  return { type: named };
}

/** Items by id; a duplicated id maps to every item holding it (item_ids_unique reports that). */
function indexById(items: ItemView[]): Map<string, ItemView[]> {
  const byId = new Map<string, ItemView[]>();
  for (const item of items) {
    if (item.itemId === undefined) continue;
    const list = byId.get(item.itemId);
    if (list) list.push(item);
    else byId.set(item.itemId, [item]);
  }
  return byId;
}

/** The items an id names from `item`'s point of view: never itself when the id is shared. */
function targetsOf(byId: Map<string, ItemView[]>, id: string, from: ItemView): ItemView[] {
  const all = byId.get(id) ?? [];
  return all.length > 1 ? all.filter((other) => other !== from) : all;
}

function refFindings(item: ItemView, byId: Map<string, ItemView[]>): Finding[] {
  const payload = item.payload;
  if (!payload) return [];
  const findings: Finding[] = [];
  const rule = objectTypeRule(item.objectType);
  const depends = new Set(item.dependsOn ?? []);
  for (const use of collectRefs(payload)) {
    // Worded only for a finding (most refs have none).
    const suffix = (): string => `.staged_payload${formatJsonPath(use.path).replace(/^(?=[A-Za-z_$])/, ".")}`;
    const field = String(use.path[0]);
    const ref = quoted(use.ref);
    if (use.ref === item.itemId && (byId.get(use.ref)?.length ?? 0) <= 1) {
      findings.push(itemFinding(item, suffix(), `$ref ${ref} refers to the item itself`));
      continue;
    }
    const targets = targetsOf(byId, use.ref, item);
    if (targets.length === 0) {
      findings.push(itemFinding(item, suffix(), `$ref ${ref} names no item of this plan`));
      continue;
    }
    if (rule) {
      const { type, why } = expectedRefType(rule.refFields[field], payload);
      // A target whose own object_type is unsupported (or missing) is supported_object_types' (or
      // the schema's) finding already: one defect, one failed check.
      const judged = targets.some((target) => objectTypeRule(target.objectType) !== undefined);
      if (why) findings.push(itemFinding(item, suffix(), `staged_payload.${field} ${why}`));
      else if (judged && !targets.some((target) => target.objectType === type)) {
        const actual = targets[0]?.objectType ?? "an item without an object_type";
        findings.push(itemFinding(item, suffix(), `$ref ${ref} names a ${actual} item, but staged_payload.${field} needs a ${String(type)}`));
      }
    }
    if (!depends.has(use.ref)) findings.push(itemFinding(item, suffix(), `$ref ${ref} is not listed in depends_on`));
  }
  return findings;
}

function dependsFindings(item: ItemView, byId: Map<string, ItemView[]>): Finding[] {
  const findings: Finding[] = [];
  (item.dependsOn ?? []).forEach((id, i) => {
    if (targetsOf(byId, id, item).length === 0 && id !== item.itemId) {
      findings.push(itemFinding(item, `.depends_on[${i}]`, `depends_on names ${quoted(id)}, which is no item of this plan`));
    }
  });
  return findings;
}

/**
 * references_resolve: every `$ref` names an existing item of the type its field needs and listed
 * in depends_on; every depends_on entry names an item; the dependency graph has no cycle.
 */
export const referencesResolve: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const items = view.items;
  const byId = indexById(items);
  const findings: Finding[] = [];
  for (const item of items) findings.push(...refFindings(item, byId), ...dependsFindings(item, byId));
  // Edges only to ids held by exactly one item: a shared id (item_ids_unique's finding) is
  // ambiguous, and guessing its target would report cycles the author never wrote.
  const edges = items.map((item) => (item.dependsOn ?? []).flatMap((id) => (byId.get(id)?.length === 1 ? (byId.get(id) ?? []).map((t) => t.index) : [])));
  for (const cycle of dependencyCycles(edges)) {
    const first = items[cycle[0] ?? 0];
    if (!first) continue;
    const names = cycle.map((i) => quoted(items[i]?.itemId ?? `items[${i}]`)).join(", ");
    const what = cycle.length === 1 ? `item depends on itself: ${names}` : `dependency cycle among ${names}`;
    findings.push(itemFinding(first, ".depends_on", what));
  }
  return { findings };
};
