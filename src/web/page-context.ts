import type { Lang, Translate } from "./i18n.js";

/** What every page renders with: the language, its labels, the request's clock and the config. */
export interface PageContext {
  lang: Lang;
  t: Translate;
  now: Date;
  netboxUrl: string | undefined;
}
