import { findSecrets } from "../../guards/secrets.js";
import type { Finding } from "../../schemas/findings.js";
import { shownItemId } from "../view.js";
import type { Check } from "./types.js";

const ITEM_PATH = /^items\[(\d+)\]/;

/** no_secrets: nothing in the plan looks like a credential (SPEC §5); values are never echoed. */
export const noSecrets: Check = ({ plan, view, knownSecrets }) => {
  const findings = findSecrets(plan, knownSecrets).map((secret): Finding => {
    const finding: Finding = { message: secret.message };
    if (secret.path !== "") finding.path = secret.path;
    const index = ITEM_PATH.exec(secret.path)?.[1];
    const itemId = index === undefined ? undefined : shownItemId(view.items?.[Number(index)]);
    if (itemId !== undefined) finding.item_id = itemId;
    return finding;
  });
  return { findings };
};
