import { isIPv4, isIPv6 } from "node:net";

/**
 * The value rules of the test NetBox, written from NetBox's source on their own — deliberately not
 * importing opsgate's validator or simulator rules, so the product is checked against NetBox's
 * behaviour and not against itself. What a NetBox 4.x answers when a write carries a value it
 * refuses: DRF's IntegerField (numeric strings accepted), NetBox's ChoiceField (choice lists of
 * dcim/choices.py and ipam/choices.py), IPNetwork parsing with prefix_validator ("… is not a
 * valid prefix. Did you mean …?"), MACAddressField (netaddr's EUI-48 forms), the changelog message
 * (≤ 200 characters; a lone surrogate is a 500 from the database driver).
 */

const INTERFACE_TYPES = new Set(
  (
  "virtual bridge lag 100base-fx 100base-lfx 100base-tx 100base-t1 1000base-bx10-d 1000base-bx10-u 1000base-cwdm " +
  "1000base-cx 1000base-dwdm 1000base-ex 1000base-lsx 1000base-lx 1000base-lx10 1000base-sx 1000base-t " +
  "1000base-tx 1000base-zx 2.5gbase-t 5gbase-t 10gbase-br-d 10gbase-br-u 10gbase-cu 10gbase-cx4 10gbase-er " +
  "10gbase-lr 10gbase-lrm 10gbase-lx4 10gbase-sr 10gbase-t 10gbase-zr 25gbase-cr 25gbase-er 25gbase-lr 25gbase-sr " +
  "25gbase-t 40gbase-cr4 40gbase-er4 40gbase-fr4 40gbase-lr4 40gbase-sr4 40gbase-sr4-bd 50gbase-cr 50gbase-er " +
  "50gbase-fr 50gbase-lr 50gbase-sr 100gbase-cr1 100gbase-cr2 100gbase-cr4 100gbase-cr10 100gbase-cwdm4 " +
  "100gbase-dr 100gbase-er4 100gbase-fr1 100gbase-lr1 100gbase-lr4 100gbase-sr1 100gbase-sr1.2 100gbase-sr2 " +
  "100gbase-sr4 100gbase-sr10 100gbase-zr 200gbase-cr2 200gbase-cr4 200gbase-dr4 200gbase-er4 200gbase-fr4 " +
  "200gbase-lr4 200gbase-sr2 200gbase-sr4 200gbase-vr2 400gbase-cr4 400gbase-dr4 400gbase-er8 400gbase-fr4 " +
  "400gbase-fr8 400gbase-lr4 400gbase-lr8 400gbase-sr4 400gbase-sr4_2 400gbase-sr8 400gbase-sr16 400gbase-vr4 " +
  "400gbase-zr 800gbase-cr8 800gbase-dr8 800gbase-sr8 800gbase-vr8 1.6tbase-cr8 1.6tbase-dr8 1.6tbase-dr8-2 " +
  "100base-x-sfp 1000base-x-gbic 1000base-x-sfp 2.5gbase-x-sfp 10gbase-x-sfpp 10gbase-x-xenpak 10gbase-x-xfp " +
  "10gbase-x-x2 25gbase-x-sfp28 40gbase-x-qsfpp 50gbase-x-sfp28 50gbase-x-sfp56 100gbase-x-cfp 100gbase-x-cfp2 " +
  "100gbase-x-cfp4 100gbase-x-cxp 100gbase-x-cpak 100gbase-x-dsfp 100gbase-x-qsfp28 100gbase-x-qsfpdd " +
  "100gbase-x-sfp112 100gbase-x-sfpdd 200gbase-x-cfp2 200gbase-x-qsfp56 200gbase-x-qsfpdd 400gbase-x-qsfp112 " +
  "400gbase-x-qsfpdd 400gbase-x-cdfp 400gbase-x-cfp2 400gbase-x-cfp8 400gbase-x-osfp 400gbase-x-osfp-rhs " +
  "800gbase-x-osfp 800gbase-x-qsfpdd 1.6tbase-x-osfp1600 1.6tbase-x-osfp1600-rhs 1.6tbase-x-qsfpdd1600 " +
  "1000base-kx 2.5gbase-kx 5gbase-kr 10gbase-kr 10gbase-kx4 25gbase-kr 40gbase-kr4 50gbase-kr 100gbase-kp4 " +
  "100gbase-kr2 100gbase-kr4 1.6tbase-kr8 ieee802.11a ieee802.11g ieee802.11n ieee802.11ac ieee802.11ad " +
  "ieee802.11ax ieee802.11ay ieee802.11be ieee802.15.1 ieee802.15.4 other-wireless gsm cdma lte 4g 5g sonet-oc3 " +
  "sonet-oc12 sonet-oc48 sonet-oc192 sonet-oc768 sonet-oc1920 sonet-oc3840 1gfc-sfp 2gfc-sfp 4gfc-sfp 8gfc-sfpp " +
  "16gfc-sfpp 32gfc-sfp28 32gfc-sfpp 64gfc-qsfpp 64gfc-sfpdd 64gfc-sfpp 128gfc-qsfp28 infiniband-sdr " +
  "infiniband-ddr infiniband-qdr infiniband-fdr10 infiniband-fdr infiniband-edr infiniband-hdr infiniband-ndr " +
  "infiniband-xdr t1 e1 t3 e3 xdsl docsis moca bpon epon 10g-epon gpon xg-pon xgs-pon ng-pon2 25g-pon 50g-pon " +
  "cisco-stackwise cisco-stackwise-plus cisco-flexstack cisco-flexstack-plus cisco-stackwise-80 " +
  "cisco-stackwise-160 cisco-stackwise-320 cisco-stackwise-480 cisco-stackwise-1t juniper-vcp extreme-summitstack " +
  "extreme-summitstack-128 extreme-summitstack-256 extreme-summitstack-512 other"
  ).split(" "),
);

type Rule = (value: unknown) => string | undefined;

const integer =
  (min: number, max: number): Rule =>
  (value) => {
    let text: string;
    if (typeof value === "number") text = String(value);
    else if (typeof value === "string") text = value;
    else return "A valid integer is required.";
    // Python: int(re.sub(r"\.0*\s*$", "", str(data)))
    const stripped = text.replace(/\.0*\s*$/, "").trim();
    if (!/^[+-]?[0-9]+(_[0-9]+)*$/.test(stripped)) return "A valid integer is required.";
    const n = Number(stripped.replaceAll("_", ""));
    if (n < min) return `Ensure this value is greater than or equal to ${min}.`;
    if (n > max) return `Ensure this value is less than or equal to ${max}.`;
    return undefined;
  };

const choice =
  (values: ReadonlySet<string>, blankOk = false): Rule =>
  (value) => {
    if (value === "") return blankOk ? undefined : "This field may not be blank.";
    if (typeof value === "object" && value !== null) return 'Value must be passed directly (e.g. "foo": 123); do not use a dictionary or list.';
    let shown = String(value);
    if (typeof value === "boolean") shown = value ? "True" : "False";
    if (typeof value === "string") {
      if (value.toLowerCase() === "true") return "True is not a valid choice.";
      if (value.toLowerCase() === "false") return "False is not a valid choice.";
      if (/^\s*[+-]?\d+\s*$/.test(value)) return `${BigInt(value.trim())} is not a valid choice.`;
      if (values.has(value)) return undefined;
    }
    return `${shown} is not a valid choice.`;
  };

const set = (...values: string[]): ReadonlySet<string> => new Set(values);
const STATUSES = ["active", "reserved", "deprecated"];

const RULES: Record<string, Record<string, Rule>> = {
  "/api/dcim/interfaces/": {
    type: choice(INTERFACE_TYPES),
    mode: choice(set("access", "tagged", "tagged-all", "q-in-q"), true),
    mtu: integer(1, 65536),
  },
  "/api/ipam/ip-addresses/": {
    address: (value) => cidr(value, "address"),
    status: choice(set(...STATUSES, "dhcp", "slaac")),
    role: choice(set("loopback", "secondary", "anycast", "vip", "vrrp", "hsrp", "glbp", "carp"), true),
  },
  "/api/ipam/prefixes/": {
    prefix: (value) => cidr(value, "prefix"),
    status: choice(set("container", ...STATUSES)),
  },
  "/api/ipam/vlans/": {
    vid: integer(1, 4094),
    status: choice(set(...STATUSES)),
  },
};

/** A 400 (or a 500) a real NetBox would give this write, or undefined to let it through. */
export function refusedValues(method: string, path: string, body: unknown): { status: number; body: unknown } | undefined {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return undefined;
  const items: unknown[] = Array.isArray(body) ? body : [body];
  for (const item of items) {
    const message = isObject(item) ? item.changelog_message : undefined;
    if (typeof message === "string" && !message.isWellFormed()) {
      return { status: 500, body: { error: "'utf-8' codec can't encode character: surrogates not allowed", exception: "UnicodeEncodeError" } };
    }
  }
  if (method === "DELETE") return undefined;
  const endpoint = Object.keys(RULES).find((prefix) => path === prefix || new RegExp(`^${prefix}\\d+/$`).test(path));
  const rules = endpoint ? RULES[endpoint] : undefined;
  const errors = items.map((item) => {
    const found: Record<string, string[]> = {};
    if (!isObject(item)) return found;
    for (const [field, value] of Object.entries(item)) {
      const problem = rules && Object.hasOwn(rules, field) && value !== null ? rules[field]!(value) : undefined;
      if (problem) found[field] = [problem];
    }
    const message = item.changelog_message;
    if (typeof message === "string" && [...message].length > 200) found.changelog_message = ["Ensure this field has no more than 200 characters."];
    return found;
  });
  if (errors.every((e) => Object.keys(e).length === 0)) return undefined;
  return { status: 400, body: Array.isArray(body) ? errors : errors[0] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** IPNetwork(value); a prefix must also be its own network (NetBox's prefix_validator). */
function cidr(value: unknown, kind: "address" | "prefix"): string | undefined {
  const invalid = kind === "prefix" ? `Invalid IP prefix format: ${String(value)}` : `Invalid IP address format: ${String(value)}`;
  if (typeof value !== "string") return invalid;
  const [host = "", mask, extra] = value.trim().split("/");
  const v6 = isIPv6(host);
  if (extra !== undefined || (!isIPv4(host) && !v6)) return invalid;
  const bits = v6 ? 128 : 32;
  if (mask !== undefined && !/^\d{1,3}$/.test(mask)) return invalid;
  const length = mask === undefined ? bits : Number(mask);
  if (length > bits) return invalid;
  if (kind === "address") return mask === undefined ? "CIDR mask (e.g. /24) is required." : undefined;
  const n = v6 ? v6ToInt(host) : host.split(".").reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
  const hostBits = BigInt(bits - length);
  const network = (n >> hostBits) << hostBits;
  if (network === n) return undefined;
  const show = (x: bigint): string => (v6 ? intToV6(x) : [24n, 16n, 8n, 0n].map((s) => String((x >> s) & 255n)).join("."));
  return `${show(n)}/${length} is not a valid prefix. Did you mean ${show(network)}/${length}?`;
}

function v6ToInt(text: string): bigint {
  let host = text.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    host = `${host.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = "", right] = host.split("::");
  const head = left ? left.split(":") : [];
  const tail = right ? right.split(":") : [];
  const groups = right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952 text, as netaddr prints an IPv6 network. */
function intToV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt((7 - i) * 16)) & 0xffffn));
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best[1]! && j - i > 1) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best[0]! < 0) return hex.join(":");
  return `${hex.slice(0, best[0]).join(":")}::${hex.slice(best[0]! + best[1]!).join(":")}`;
}
