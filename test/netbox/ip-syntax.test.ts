import { isIPv4 as nodeIsIPv4, isIPv6 as nodeIsIPv6 } from "node:net";
import { describe, expect, it } from "vitest";
import { seeded } from "../helpers/seeded.js";
import { isIPv4, isIPv6 } from "../../src/netbox/ip.js";

// opsgate judges address syntax itself (node:net costs ~5 ms to load); it must agree with
// node:net's isIPv4 and isIPv6 on every string, valid or not.
const KNOWN = [
  "10.0.0.1", "255.255.255.255", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..3.4", "", " 1.2.3.4",
  "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
  "::ffff:10.0.0.1", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5::1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::1.2.3.4", "1.2.3.4::",
  "fe80::1%eth0", "fe80::1%", "fe80::1%a%b", "fe80::1%eth0.1:x-y", "1:::2", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:",
  "12345::", "abcd:ABCD::", "g::", "::ffff:256.0.0.1", "::ffff:1.2.3", "1.2.3.4%eth0", "%eth0",
];

/** Deterministic strings over the characters addresses are made of, biased towards near-misses. */
function samples(count: number): string[] {
  const alphabet = "0123456789abcdefABCDEFg:.%-z";
  const out: string[] = [];
  const next = seeded(12345);
  for (let i = 0; i < count; i++) {
    const length = next(40);
    let text = "";
    for (let j = 0; j < length; j++) text += next(3) === 0 ? ":" : (alphabet[next(alphabet.length)] as string);
    out.push(text);
  }
  // Groups and separators put together: many valid IPv6 addresses among near-misses.
  const groups = ["0", "1", "9", "10", "99", "199", "249", "255", "256", "01", "ffff", "FFFF", "abcd", "12345", "g", "", "1.2.3.4", "1.2.3.04"];
  const separators = [":", ".", "::", "%e0", ""];
  for (let i = 0; i < 50_000; i++) {
    const parts = next(10);
    let text = next(4) === 0 ? "::" : "";
    for (let j = 0; j < parts; j++) text += (groups[next(groups.length)] as string) + (j < parts - 1 ? (separators[next(separators.length)] as string) : "");
    out.push(next(4) === 0 ? `${text}::` : text);
  }
  // Mutations of valid addresses: one character changed, added or removed.
  for (const base of ["2001:db8::8a2e:370:7334", "::ffff:192.168.0.1", "fe80::1%eth0", "192.168.100.254", "1:2:3:4:5:6:7:8"]) {
    for (let at = 0; at <= base.length; at++) {
      for (const c of ["", ":", ".", "0", "f", "%"]) {
        out.push(base.slice(0, at) + c + base.slice(at + 1), base.slice(0, at) + c + base.slice(at));
      }
    }
  }
  return out;
}

describe("address syntax as node:net judges it", () => {
  it.each(KNOWN)("%j", (text) => {
    expect([isIPv4(text), isIPv6(text)]).toEqual([nodeIsIPv4(text), nodeIsIPv6(text)]);
  });

  it("agrees on 150,000 generated strings, and the samples hold both kinds", () => {
    const all = samples(100_000);
    const disagreements = all.filter((text) => isIPv4(text) !== nodeIsIPv4(text) || isIPv6(text) !== nodeIsIPv6(text));
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(all.filter((text) => nodeIsIPv6(text)).length).toBeGreaterThan(1000);
    expect(all.filter((text) => nodeIsIPv4(text)).length).toBeGreaterThan(20);
  });
});
