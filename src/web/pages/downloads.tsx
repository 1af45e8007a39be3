import type { FC } from "hono/jsx";
import type { Artifact } from "../data/artifacts.js";
import type { PageContext } from "../page-context.js";
import { Empty, Layout, QuickFilter, enc } from "./layout.js";

export const downloadHref = (id: string): string => `/download/${id.split("/").map(enc).join("/")}`;

export const DownloadsPage: FC<{ ctx: PageContext; artifacts: Artifact[] }> = ({ ctx, artifacts }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("downloads")} active="/downloads">
      <p>
        <a href="/approvals.csv" download>{`${t("approvals")} CSV`}</a>
        {" · "}
        <a href="/batches.csv" download>{`${t("batches")} CSV`}</a>
      </p>
      <QuickFilter ctx={ctx} table="artifacts" />
      {artifacts.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table id="artifacts">
          <thead>
            <tr>
              <th>{t("root")}</th>
              <th>{t("file")}</th>
              <th class="num">{t("size")}</th>
            </tr>
          </thead>
          <tbody>
            {artifacts.map((a) => (
              <tr>
                <td>{a.root}</td>
                <td>
                  <a href={downloadHref(a.id)}>{a.rel}</a>
                </td>
                <td class="num">{t("bytes", { n: a.size })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
};
