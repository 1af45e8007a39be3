/*
 * Address syntax as node:net's isIPv4 and isIPv6 judge it (a test compares them on many strings),
 * written here because loading node:net (sockets, streams) costs validate and apply ~5 ms at start.
 */
const V4_PART = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const V6_ZONE = /^[0-9a-zA-Z.:-]+$/;

/** Dotted decimal, four parts of 0-255 without leading zeros. */
export function isIPv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((part) => V4_PART.test(part));
}

/**
 * Eight hex groups of 1-4 digits, or fewer around one `::` (which stands for at least one zero
 * group); the last two may be written as an IPv4 address; a `%zone` may follow.
 */
export function isIPv6(text: string): boolean {
  const zoneAt = text.indexOf("%");
  if (zoneAt !== -1 && !V6_ZONE.test(text.slice(zoneAt + 1))) return false;
  const address = zoneAt === -1 ? text : text.slice(0, zoneAt);
  const halves = address.split("::");
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === "" ? [] : half.split(":")));
  // Only the address's very last group may be an IPv4 address (not one before a closing `::`).
  const tail = groups.at(-1)?.at(-1);
  const v4Tail = tail !== undefined && tail.includes(".");
  if (v4Tail && !isIPv4(tail)) return false;
  const hex = groups.flat();
  if (v4Tail) hex.pop();
  if (!hex.every((group) => V6_GROUP.test(group))) return false;
  const count = hex.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? count <= 7 : count === 8;
}

/**
 * IP address text as NetBox compares it: the host part, normalized (IPv6 expanded then
 * compressed), with or without a mask. `10.0.0.1/30` and `10.0.0.1/24` share the host `10.0.0.1` —
 * which is what NetBox's global uniqueness and the `?address=10.0.0.1` filter look at.
 */
export interface IpInterface {
  family: 4 | 6;
  host: string;
  prefixLength: number | undefined;
}

export function parseIp(text: string): IpInterface | undefined {
  const [hostText = "", maskText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const family = isIPv4(hostText) ? 4 : isIPv6(hostText) ? 6 : undefined;
  if (family === undefined) return undefined;
  let prefixLength: number | undefined;
  if (maskText !== undefined) {
    if (!/^\d{1,3}$/.test(maskText)) return undefined;
    prefixLength = Number(maskText);
    if (prefixLength > (family === 4 ? 32 : 128)) return undefined;
  }
  return { family, host: family === 4 ? hostText : compressV6(expandV6(hostText)), prefixLength };
}

/** The host part of an address, normalized; the input unchanged if it is not an address. */
export function hostOf(text: string): string {
  return parseIp(text)?.host ?? text.trim().split("/")[0] ?? text;
}

/** `10.0.0.1/24` → `10.0.0.0/24` (NetBox stores a prefix as its network). */
export function networkOf(ip: IpInterface): string {
  const length = ip.prefixLength ?? (ip.family === 4 ? 32 : 128);
  const bits = ip.family === 4 ? 32 : 128;
  const value = ip.family === 4 ? v4ToBig(ip.host) : v6ToBig(expandV6(ip.host));
  const mask = length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
  const network = value & mask;
  const host = ip.family === 4 ? bigToV4(network) : compressV6(bigToV6(network));
  return `${host}/${length}`;
}

function v4ToBig(host: string): bigint {
  return host.split(".").reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
}

function bigToV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

function v6ToBig(groups: string[]): bigint {
  return groups.reduce((acc, group) => (acc << 16n) + BigInt(parseInt(group, 16)), 0n);
}

function bigToV6(value: bigint): string[] {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups;
}

/** Eight lower-case hex groups; an embedded IPv4 tail becomes two groups. */
function expandV6(host: string): string[] {
  let text = host.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = v4ToBig(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${((n >> 16n) & 0xffffn).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16).toString(16));
}

/**
 * RFC 5952, as PostgreSQL prints an inet: the longest run (≥ 2) of zero groups becomes `::`, and
 * an IPv4-mapped address keeps its dotted tail (`::ffff:10.0.0.1`).
 */
function compressV6(groups: string[]): string {
  if (groups.slice(0, 5).every((g) => g === "0") && groups[5] === "ffff") {
    const tail = (BigInt(parseInt(groups[6] ?? "0", 16)) << 16n) + BigInt(parseInt(groups[7] ?? "0", 16));
    return `::ffff:${bigToV4(tail)}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  return `${groups.slice(0, bestStart).join(":")}::${groups.slice(bestStart + bestLength).join(":")}`;
}
