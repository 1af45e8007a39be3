import type { Child, FC } from "hono/jsx";
import { raw } from "hono/html";
import { valueLabel, type LabelKey } from "../i18n.js";
import type { PageContext } from "../page-context.js";
export { str } from "../text.js";

const NAV: { href: string; key: LabelKey }[] = [
  { href: "/", key: "nav_dashboard" },
  { href: "/approvals", key: "nav_approvals" },
  { href: "/batches", key: "nav_batches" },
  { href: "/devices", key: "nav_devices" },
  { href: "/audit", key: "nav_audit" },
  { href: "/readback", key: "nav_readback" },
  { href: "/downloads", key: "nav_downloads" },
];

export const Layout: FC<{ ctx: PageContext; title: string; active: string; children?: Child }> = ({ ctx, title, active, children }) => (
  <>
    {raw("<!DOCTYPE html>")}
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${ctx.t("app_title")}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#content">
          {ctx.t("skip_to_content")}
        </a>
        <header>
          <a class="brand" href="/">
            opsgate
          </a>
          <span class="ro">{ctx.t("read_only")}</span>
          <nav>
            {NAV.map((item) => (
              <a href={item.href} class={item.href === active ? "active" : undefined}>
                {ctx.t(item.key)}
              </a>
            ))}
          </nav>
        </header>
        <main id="content">
          <h1>{title}</h1>
          {children}
        </main>
        <footer>{ctx.t("loaded_at", { at: ctx.now.toISOString().replace(/\.\d+Z$/, "Z") })}</footer>
      </body>
    </html>
  </>
);

const GOOD = new Set(["applied", "approved", "pass", "passed", "ok", "ready", "recovered", "valid"]);
const BAD = new Set(["rollback_incomplete", "interrupted", "fail", "failed", "invalid", "rejected", "revoked", "refused", "expired", "broken", "critical"]);
const WARN = new Set(["rolled_back", "blocked", "pending", "skipped", "unknown", "high", "proposed"]);

/** A data value (state, outcome, status) as a coloured badge in the page's language. */
export const Badge: FC<{ ctx: PageContext; value: string }> = ({ ctx, value }) => {
  const tone = GOOD.has(value) ? "b-ok" : BAD.has(value) ? "b-bad" : WARN.has(value) ? "b-warn" : "b-info";
  return <span class={`badge ${tone}`}>{valueLabel(ctx.lang, value)}</span>;
};

export const Empty: FC<{ ctx: PageContext }> = ({ ctx }) => <p class="meta">{ctx.t("none")}</p>;

/** A filter box the script turns on; without JavaScript it stays hidden and the server filters. */
export const QuickFilter: FC<{ ctx: PageContext; table: string }> = ({ ctx, table }) => (
  <input class="quick" type="search" hidden data-filter-for={table} placeholder={ctx.t("quick_filter")} aria-label={ctx.t("quick_filter")} />
);

export const ProblemList: FC<{ ctx: PageContext; problems: { path: string; message: string; kind?: string }[] }> = ({ ctx, problems }) =>
  problems.length === 0 ? null : (
    <table>
      <thead>
        <tr>
          {problems.some((p) => p.kind) ? <th>{ctx.t("kind")}</th> : null}
          <th>{ctx.t("file")}</th>
          <th>{ctx.t("message")}</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p) => (
          <tr>
            {problems.some((q) => q.kind) ? (
              <td>
                <span class="badge b-bad">{p.kind ?? ""}</span>
              </td>
            ) : null}
            <td>
              <code>{p.path}</code>
            </td>
            <td>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

/** "3 d" / "5 h": an age or a time left, in whole units. */
export function duration(ctx: PageContext, ms: number): string {
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  return hours >= 48 ? ctx.t("days", { n: Math.floor(hours / 24) }) : ctx.t("hours", { n: hours });
}

export const enc = encodeURIComponent;

