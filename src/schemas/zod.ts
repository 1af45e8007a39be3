// The one door to zod. opsgate uses zod's mini API (a fraction of the classic API's start-up cost),
// which loads no error-message locale: without the English one every issue would read "Invalid
// input", and findings quote zod's messages. Importing zod through this module guarantees the locale
// is configured; eslint forbids importing zod anywhere else.
//
// Importers take it as a namespace (`import * as z from "./zod.js"`) and only ever name its members
// (`z.strictObject`): the bundler then keeps just the parts of zod a command uses. Re-exporting one
// namespace object instead would pull all of zod into every command's bundle (430 KB of 520 in
// validate-batch-plan's, read and deserialised at every start).
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());

export * from "zod/mini";
