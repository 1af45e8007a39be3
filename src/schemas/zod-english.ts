// zod/mini loads no error-message locale (every issue would read "Invalid input"); opsgate's
// findings quote zod's English messages, so the English locale — and only it — is configured once,
// by every schema module importing this one for its side effect.
import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

config(en());
