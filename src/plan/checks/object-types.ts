import { SUPPORTED_OBJECT_TYPES, objectTypeRule } from "../../netbox/object-types.js";
import type { Finding } from "../../schemas/findings.js";
import { quoted } from "../view.js";
import { SKIPPED, itemFinding, type Check } from "./types.js";

/** supported_object_types: every object_type and action is in SPEC §4's table. */
export const supportedObjectTypes: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const findings: Finding[] = [];
  for (const item of view.items) {
    if (item.objectType === undefined) continue; // a missing type is a schema finding
    const rule = objectTypeRule(item.objectType);
    if (!rule) {
      findings.push(
        itemFinding(item, ".object_type", `object_type ${quoted(item.objectType)} is not supported (supported: ${SUPPORTED_OBJECT_TYPES.join(", ")})`),
      );
      continue;
    }
    if (item.action !== undefined && !(rule.actions as readonly string[]).includes(item.action)) {
      findings.push(itemFinding(item, ".action", `action ${quoted(item.action)} is not allowed for ${rule.objectType} (allowed: ${rule.actions.join(", ")})`));
    }
  }
  return { findings };
};
