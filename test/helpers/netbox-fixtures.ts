import type { NetBoxState } from "../../src/schemas/netbox-state.js";

/** A NetBox holding one device (the plans' 4WNET-MNS-KTG-RX) and whatever `extra` adds. */
export function deviceState(extra: NetBoxState["objects"] = {}): NetBoxState {
  return {
    schema_version: "netbox_state_v1",
    objects: { "dcim.device": [{ id: 1890, name: "4WNET-MNS-KTG-RX" }], ...extra },
  };
}
