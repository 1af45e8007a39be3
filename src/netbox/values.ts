import { INTERFACE_MODES, INTERFACE_TYPES, IPADDRESS_ROLES, IPADDRESS_STATUSES, PREFIX_STATUSES, VLAN_STATUSES } from "./choices.js";
import { PyFloat } from "../json/value.js";
import { networkOf, parseIp } from "./ip.js";

/**
 * The field values NetBox refuses, per v1 object type, with NetBox's own messages: what its REST
 * serializers (DRF IntegerField, NetBox's ChoiceField, IPAddressField/IPNetworkField) and model
 * validators (prefix_validator, MinValue/MaxValue validators, MACAddressField) would answer in a
 * 400. Shared by the `values_valid` check and the simulator, so a plan that validates is a plan
 * NetBox accepts. `$ref`s, nulls and fields NetBox ignores are not judged here.
 */
export type ValueRule =
  | { kind: "int"; min: number; max: number }
  | { kind: "choice"; choices: readonly string[]; allowBlank?: boolean }
  | { kind: "prefix" }
  | { kind: "address" }
  | { kind: "mac" };

export const INTERFACE_MTU = { min: 1, max: 65536 } as const;
export const VLAN_VID = { min: 1, max: 4094 } as const;

export const VALUE_RULES: Readonly<Record<string, Readonly<Record<string, ValueRule>>>> = {
  "dcim.interface": {
    type: { kind: "choice", choices: INTERFACE_TYPES },
    mode: { kind: "choice", choices: INTERFACE_MODES, allowBlank: true },
    mtu: { kind: "int", ...INTERFACE_MTU },
    mac_address: { kind: "mac" },
  },
  "ipam.ipaddress": {
    address: { kind: "address" },
    status: { kind: "choice", choices: IPADDRESS_STATUSES },
    role: { kind: "choice", choices: IPADDRESS_ROLES, allowBlank: true },
  },
  "ipam.prefix": {
    prefix: { kind: "prefix" },
    status: { kind: "choice", choices: PREFIX_STATUSES },
  },
  "ipam.vlan": {
    vid: { kind: "int", ...VLAN_VID },
    status: { kind: "choice", choices: VLAN_STATUSES },
  },
};

export interface ValueProblem {
  field: string;
  message: string;
}

/** NetBox's refusals of one payload's values, in payload key order. */
export function valueProblems(objectType: string, payload: Readonly<Record<string, unknown>>): ValueProblem[] {
  const rules = Object.hasOwn(VALUE_RULES, objectType) ? VALUE_RULES[objectType] : undefined;
  if (!rules) return [];
  const problems: ValueProblem[] = [];
  for (const [field, value] of Object.entries(payload)) {
    const rule = Object.hasOwn(rules, field) ? rules[field] : undefined;
    if (!rule || value === null || value === undefined || isRefLike(value)) continue;
    const message = valueProblem(rule, value);
    if (message !== undefined) problems.push({ field, message });
  }
  return problems;
}

/** NetBox's message for one value, or undefined when NetBox takes it. */
export function valueProblem(rule: ValueRule, value: unknown): string | undefined {
  switch (rule.kind) {
    case "int":
      return intProblem(value, rule.min, rule.max);
    case "choice":
      return choiceProblem(value, rule.choices, rule.allowBlank ?? false);
    case "prefix":
      return prefixProblem(value);
    case "address":
      return addressProblem(value);
    case "mac":
      return typeof value === "string" && parseMac(value) !== undefined ? undefined : `Invalid MAC address format: ${pyText(value)}`;
  }
}

/**
 * DRF's IntegerField: an integer, or text Python's `int()` takes once a trailing `.0…` is cut
 * (`"9000"`, `" 9000 "`, `"9000.0"`); a float only when whole. Booleans are not integers to DRF
 * here (`int("True")` fails).
 */
export function parseNetBoxInt(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return Number.isFinite(value) && Number.isInteger(value) ? BigInt(value) : undefined;
  if (value instanceof PyFloat) return parseNetBoxInt(value.value); // `9000.0` in the plan
  if (typeof value !== "string" || value.length > 1000) return undefined;
  const text = value.replace(/\.0*\s*$/, "").trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(text)) return undefined;
  return BigInt(text.replaceAll("_", ""));
}

function intProblem(value: unknown, min: number, max: number): string | undefined {
  const n = parseNetBoxInt(value);
  if (n === undefined) return "A valid integer is required.";
  if (Number.isFinite(min) && n < BigInt(min)) return `Ensure this value is greater than or equal to ${min}.`;
  if (Number.isFinite(max) && n > BigInt(max)) return `Ensure this value is less than or equal to ${max}.`;
  return undefined;
}

/**
 * NetBox's ChoiceField (netbox/api/fields.py): blank is refused unless allowed, a dict or list is
 * refused, "true"/"false"/digits are turned into a bool or an int first (so they never match a
 * slug), and the message shows the value as Python prints it.
 */
function choiceProblem(value: unknown, choices: readonly string[], allowBlank: boolean): string | undefined {
  if (value === "") return allowBlank ? undefined : "This field may not be blank.";
  if (typeof value === "object" && value !== null) return 'Value must be passed directly (e.g. "foo": 123); do not use a dictionary or list.';
  if (typeof value === "string" && choices.includes(value) && !/^(true|false)$/i.test(value) && !/^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return undefined;
  return `${pyChoiceText(value)} is not a valid choice.`;
}

function pyChoiceText(value: unknown): string {
  if (typeof value === "string") {
    if (/^true$/i.test(value)) return "True";
    if (/^false$/i.test(value)) return "False";
    const n = /^\s*[+-]?\d+(_\d+)*\s*$/.test(value) ? BigInt(value.trim().replaceAll("_", "")) : undefined;
    return n === undefined ? value : String(n);
  }
  return pyText(value);
}

/** How Python's str() shows a JSON value in a message. */
function pyText(value: unknown): string {
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/** netaddr's IPNetwork on the API, then NetBox's prefix_validator (no host bits). */
function prefixProblem(value: unknown): string | undefined {
  const ip = typeof value === "string" ? parseIp(value) : undefined;
  if (!ip) return `Invalid IP prefix format: ${pyText(value)}`;
  const length = ip.prefixLength ?? (ip.family === 4 ? 32 : 128);
  const given = `${ip.host}/${length}`;
  const network = networkOf(ip);
  return network === given ? undefined : `${given} is not a valid prefix. Did you mean ${network}?`;
}

/**
 * netaddr's IPNetwork on the API. NetBox itself would store a bare host as /32 or /128; a plan
 * must say which mask it means (the same address under two masks is two different plans), so a
 * missing mask is refused with the message of NetBox's own address form field.
 */
function addressProblem(value: unknown): string | undefined {
  const ip = typeof value === "string" ? parseIp(value) : undefined;
  if (!ip) return `Invalid IP address format: ${pyText(value)}`;
  if (ip.prefixLength === undefined) return "CIDR mask (e.g. /24) is required.";
  return undefined;
}

/** The MAC forms netaddr's EUI (48-bit) parses, after NetBox drops spaces: 12 hex digits, upper case. */
const MAC_FORMS: readonly RegExp[] = [
  /^([0-9A-F]{1,2}):([0-9A-F]{1,2}):([0-9A-F]{1,2}):([0-9A-F]{1,2}):([0-9A-F]{1,2}):([0-9A-F]{1,2})$/i,
  /^([0-9A-F]{1,2})-([0-9A-F]{1,2})-([0-9A-F]{1,2})-([0-9A-F]{1,2})-([0-9A-F]{1,2})-([0-9A-F]{1,2})$/i,
  /^([0-9A-F]{1,4}):([0-9A-F]{1,4}):([0-9A-F]{1,4})$/i,
  /^([0-9A-F]{1,4})-([0-9A-F]{1,4})-([0-9A-F]{1,4})$/i,
  /^([0-9A-F]{1,4})\.([0-9A-F]{1,4})\.([0-9A-F]{1,4})$/i,
  /^([0-9A-F]{5,6})-([0-9A-F]{5,6})$/i,
  /^([0-9A-F]{5,6}):([0-9A-F]{5,6})$/i,
  /^([0-9A-F]{12})$/i,
  /^([0-9A-F]{11})$/i,
];

export function parseMac(text: string): string | undefined {
  const compact = text.replaceAll(" ", "");
  for (const form of MAC_FORMS) {
    const match = form.exec(compact);
    if (!match) continue;
    const words = match.slice(1);
    const width = 12 / words.length;
    return words.map((word) => word.padStart(width, "0")).join("").toUpperCase();
  }
  return undefined;
}

function isRefLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "$ref" in value;
}
