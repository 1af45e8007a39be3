import { hostOfAddress, objectTypeRule, plainId, type ObjectTypeRule } from "../../netbox/object-types.js";
import { isRef } from "../../schemas/batch-plan.js";
import type { Finding } from "../../schemas/findings.js";
import { quoted, type ItemView } from "../view.js";
import { SKIPPED, itemFinding, type Check } from "./types.js";

/** Missing, null, an empty or blank string, an empty list or object: NetBox would refuse it. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** A lookup or payload value in comparable form: ids unwrapped, integers as digits, absent as null. */
function comparable(value: unknown, isAddress: boolean): string | null {
  const plain = plainId(value);
  if (plain === undefined || plain === null) return null;
  if (typeof plain === "string") return isAddress ? hostOfAddress(plain) : plain;
  if (typeof plain === "number" || typeof plain === "bigint") return String(plain);
  return JSON.stringify(plain);
}

function payloadFindings(item: ItemView, rule: ObjectTypeRule, payload: Record<string, unknown>): Finding[] {
  return rule.requiredPayload
    .filter((field) => isEmptyValue(payload[field]))
    .map((field) =>
      itemFinding(item, `.staged_payload.${field}`, `${rule.objectType} requires staged_payload.${field} (${field in payload ? "it is empty" : "it is missing"})`),
    );
}

/** What lookupFindings asks of a rule, worked out once per object type (not once per item). */
const lookupFacts = new Map<ObjectTypeRule, { known: Set<string>; inAnyOf: Set<string>; naturalKey: string }>();
function factsOf(rule: ObjectTypeRule): { known: Set<string>; inAnyOf: Set<string>; naturalKey: string } {
  let facts = lookupFacts.get(rule);
  if (!facts) {
    facts = { known: new Set(rule.lookup.map((key) => key.key)), inAnyOf: new Set(rule.lookupAnyOf.flat()), naturalKey: rule.lookup.map((key) => key.key).join(", ") };
    lookupFacts.set(rule, facts);
  }
  return facts;
}

function lookupFindings(item: ItemView, rule: ObjectTypeRule, lookup: Record<string, unknown>, payload: Record<string, unknown> | undefined): Finding[] {
  const findings: Finding[] = [];
  const { known, inAnyOf, naturalKey } = factsOf(rule);
  for (const key of Object.keys(lookup)) {
    if (!known.has(key)) findings.push(itemFinding(item, `.lookup.${key}`, `lookup.${key} is not part of the natural key of ${rule.objectType} (${naturalKey})`));
  }
  for (const key of rule.lookup) {
    if (!key.nullable && !inAnyOf.has(key.key) && isEmptyValue(lookup[key.key])) {
      findings.push(itemFinding(item, `.lookup.${key.key}`, `lookup.${key.key} is required: the natural key of ${rule.objectType} is ${naturalKey}`));
    }
  }
  for (const group of rule.lookupAnyOf) {
    if (group.every((key) => isEmptyValue(lookup[key]))) {
      findings.push(itemFinding(item, ".lookup", `lookup needs one of ${group.join(" or ")} for ${rule.objectType}`));
    }
  }
  if (!payload) return findings;
  // The preflight finds existing objects by the lookup: a lookup that describes another object
  // than the payload would let a duplicate through. Device fields are item_device_consistent's.
  for (const key of rule.lookup) {
    if (key.payloadField === "device" || !known.has(key.key)) continue;
    const staged = payload[key.payloadField];
    if (isRef(staged)) continue;
    // An empty natural-key value is already a finding above; comparing it again would report
    // one defect twice.
    if (!key.nullable && isEmptyValue(lookup[key.key])) continue;
    if (rule.requiredPayload.includes(key.payloadField) && isEmptyValue(staged)) continue;
    const isAddress = rule.objectType === "ipam.ipaddress" && key.key === "address";
    const left = comparable(lookup[key.key], isAddress);
    const right = comparable(staged, isAddress);
    if (left !== right) {
      const shown = (v: string | null): string => (v === null ? "nothing" : quoted(v));
      findings.push(
        itemFinding(item, `.lookup.${key.key}`, `lookup.${key.key} (${shown(left)}) disagrees with staged_payload.${key.payloadField} (${shown(right)})`),
      );
    }
  }
  return findings;
}

/** payload_complete: required payload fields and the natural key are present, and they agree. */
export const payloadComplete: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const findings: Finding[] = [];
  for (const item of view.items) {
    const rule = objectTypeRule(item.objectType);
    if (!rule) continue; // unsupported types are supported_object_types' findings
    if (item.payload) findings.push(...payloadFindings(item, rule, item.payload));
    if (item.lookup) findings.push(...lookupFindings(item, rule, item.lookup, item.payload));
  }
  return { findings };
};
