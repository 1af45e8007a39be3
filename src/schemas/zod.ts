// The one door to zod. opsgate uses zod's mini API (a fraction of the classic API's start-up cost),
// which loads no error-message locale: without the English one every issue would read "Invalid
// input", and findings quote zod's messages. Importing zod through this module guarantees the locale
// is configured; eslint forbids importing zod anywhere else.
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

export { z };
