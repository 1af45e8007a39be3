/**
 * The write gate in the type system (SPEC §5). The only code path that can send POST, PATCH or
 * DELETE to NetBox takes a `WriteCapability`, and only `mintWriteCapability` can make one — after
 * checking that every gate of the real-write chain (SPEC §2.4) passed. The constructor is guarded by
 * a module-private symbol (a compile-time error outside this file, a runtime error if forced), and
 * the transport re-checks every capability it is handed against the set minted here.
 */

/** The real-write gates, in the order SPEC §2.4 runs them; every one must pass before a write. */
export const REAL_WRITE_GATES = [
  "flags_present",
  "token_present",
  "batch_id_confirmed",
  "operator_present",
  "plan_valid",
  "dry_run_recorded",
  "not_already_applied",
  "lock_acquired",
  "netbox_authenticated",
  "preflight_none_exist",
] as const;
export type RealWriteGateId = (typeof REAL_WRITE_GATES)[number];

export interface GateOutcome {
  gate_id: string;
  status: "pass" | "fail" | "skipped";
  message: string;
}

/** Not exported: code outside this file can neither name nor make one. */
class MintKey {
  readonly #brand = "write-capability-mint";
}
const MINT_KEY = new MintKey();
const minted = new WeakSet<WriteCapability>();

export class WriteCapability {
  readonly batchId: string;
  /** Gate ids the chain passed (for the ledger and the audit log). */
  readonly gates: readonly string[];

  private constructor(key: MintKey, batchId: string, gates: readonly string[]) {
    if (key !== MINT_KEY) throw new Error("a WriteCapability can only be minted by the real-write gate chain");
    this.batchId = batchId;
    this.gates = Object.freeze([...gates]);
    Object.freeze(this);
  }

  /** @internal Only `mintWriteCapability` below can pass the key. */
  static fromChain(key: MintKey, batchId: string, gates: readonly string[]): WriteCapability {
    return new WriteCapability(key, batchId, gates);
  }
}

/**
 * Mints the capability for one batch, or throws if any required gate did not pass. `required`
 * exists for simulate mode, which runs every gate but the token and the flags (SPEC §2.4).
 */
export function mintWriteCapability(
  batchId: string,
  outcomes: readonly GateOutcome[],
  required: readonly string[] = REAL_WRITE_GATES,
): WriteCapability {
  const missing = required.filter((gateId) => !outcomes.some((o) => o.gate_id === gateId && o.status === "pass"));
  const failed = outcomes.filter((o) => o.status === "fail").map((o) => o.gate_id);
  if (missing.length > 0 || failed.length > 0) {
    throw new Error(`write capability refused: gates not passed: ${[...new Set([...failed, ...missing])].join(", ")}`);
  }
  const capability = WriteCapability.fromChain(MINT_KEY, batchId, required);
  minted.add(capability);
  return capability;
}

/** True only for a capability this module minted (a forged or cast object is refused). */
export function isMintedCapability(value: unknown): value is WriteCapability {
  return value instanceof WriteCapability && minted.has(value);
}
