import type { FC } from "hono/jsx";
import type { AuditStatus } from "../data/audit.js";
import type { PageContext } from "../page-context.js";

/** The audit chain's verdict, verified when the page loads. */
export const AuditStatusBox: FC<{ ctx: PageContext; status: AuditStatus }> = ({ ctx, status }) => {
  if (status.kind === "unconfigured") return <p class="meta">{ctx.t("not_configured", { flag: "--approvals-dir" })}</p>;
  if (status.kind === "missing") return <p class="meta">{ctx.t("chain_missing", { path: status.path })}</p>;
  if (status.kind === "unreadable") return <div class="badbox" data-audit="unreadable">{ctx.t("chain_unreadable", { message: status.message })}</div>;
  const v = status.verdict;
  return v.ok ? (
    <div class="okbox" data-audit="ok">
      {ctx.t("chain_ok", { events: v.events, head: v.head.slice(0, 16) })}
    </div>
  ) : (
    <div class="badbox" data-audit="broken">
      {ctx.t("chain_broken", { seq: v.atSeq, reason: v.reason, message: v.message })}
    </div>
  );
};
