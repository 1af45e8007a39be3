import { plainId } from "../../netbox/object-types.js";
import { isRef } from "../../schemas/batch-plan.js";
import type { Finding } from "../../schemas/findings.js";
import { asRecord, quoted } from "../view.js";
import { isEmptyValue } from "./payload.js";
import { SKIPPED, itemFinding, type Check, type ExpectedDevice } from "./types.js";

/** An integer-valued JSON value (number, bigint or digits) as a bigint, else undefined. */
function asInteger(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

/** expected_device_matches: the plan's device is the one the operator named. */
export const expectedDeviceMatches: Check = ({ view, expected }) => {
  const device = view.device;
  if (!device) return SKIPPED; // no device object: a schema finding
  const findings: Finding[] = [];
  const id = asInteger(device.id);
  if (id !== undefined && id !== BigInt(expected.id)) {
    findings.push({ path: "device.id", message: `plan device id ${id} differs from --expected-device-id ${expected.id}` });
  }
  if (typeof device.name === "string" && device.name !== expected.name) {
    findings.push({ path: "device.name", message: `plan device name ${quoted(device.name)} differs from --expected-device ${quoted(expected.name)}` });
  }
  if (id === undefined && typeof device.name !== "string") return SKIPPED;
  return { findings };
};

/**
 * Whether a payload/lookup device reference names the expected device: an id (or `{"id": N}`),
 * or NetBox's `{"name": ...}` form. A value of another shape is not a device reference we can
 * judge (the schema or payload checks report it).
 */
function namesOtherDevice(value: unknown, expected: ExpectedDevice): string | undefined {
  // Missing, null or blank names no device at all: that is payload_complete's finding, not ours
  // (one defect, one failed check).
  if (isEmptyValue(value) || isRef(value)) return undefined;
  const id = asInteger(plainId(value));
  if (id !== undefined) return id === BigInt(expected.id) ? undefined : `device ${id}`;
  const named = asRecord(value)?.name;
  if (typeof named === "string") return named === expected.name ? undefined : `device ${quoted(named)}`;
  if (typeof value === "string") return value === expected.name ? undefined : `device ${quoted(value)}`;
  return undefined;
}

const PAYLOAD_DEVICE_FIELDS = ["device", "device_id"] as const;
const LOOKUP_DEVICE_FIELDS = ["device_id", "device"] as const;

/** item_device_consistent: no item's payload or lookup names a device other than the expected one. */
export const itemDeviceConsistent: Check = ({ view, expected }) => {
  if (!view.items) return SKIPPED;
  const findings: Finding[] = [];
  const target = `expected device ${expected.id} ${quoted(expected.name)}`;
  for (const item of view.items) {
    for (const field of PAYLOAD_DEVICE_FIELDS) {
      const other = item.payload && namesOtherDevice(item.payload[field], expected);
      if (other) findings.push(itemFinding(item, `.staged_payload.${field}`, `staged_payload.${field} names ${other}, not the ${target}`));
    }
    for (const field of LOOKUP_DEVICE_FIELDS) {
      const other = item.lookup && namesOtherDevice(item.lookup[field], expected);
      if (other) findings.push(itemFinding(item, `.lookup.${field}`, `lookup.${field} names ${other}, not the ${target}`));
    }
  }
  return { findings };
};
