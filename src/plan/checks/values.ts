import { objectTypeRule } from "../../netbox/object-types.js";
import { valueProblems } from "../../netbox/values.js";
import type { Finding } from "../../schemas/findings.js";
import { isEmptyValue } from "./payload.js";
import { SKIPPED, itemFinding, type Check } from "./types.js";

/**
 * values_valid: every staged value NetBox judges (prefix, address, VLAN id, MTU, MAC, the choice
 * fields) is one NetBox accepts — so a plan that validates does not earn a 400 mid-write. The
 * finding carries NetBox's own message (a prefix with host bits names the network meant).
 */
export const valuesValid: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const findings: Finding[] = [];
  for (const item of view.items) {
    const rule = objectTypeRule(item.objectType);
    if (!rule || !item.payload) continue; // unsupported types and missing payloads are other checks' findings
    // A required value that is missing or blank is payload_complete's finding alone (one defect, one check).
    const payload = item.payload;
    const blank = rule.requiredPayload.some((field) => Object.hasOwn(payload, field) && isEmptyValue(payload[field]));
    const judged = blank ? Object.fromEntries(Object.entries(payload).filter(([field, value]) => !(rule.requiredPayload.includes(field) && isEmptyValue(value)))) : payload;
    for (const problem of valueProblems(rule.objectType, judged)) {
      findings.push(itemFinding(item, `.staged_payload.${problem.field}`, `NetBox would refuse staged_payload.${problem.field}: ${problem.message}`));
    }
  }
  return { findings };
};
