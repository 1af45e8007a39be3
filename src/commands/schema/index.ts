import * as z from "../../schemas/zod.js";
import type { CommandResult } from "../../command.js";
import { summaryLine } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { writeToStdout } from "../../io/files.js";
import { pyJsonStringify } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { SCHEMA_FORMATS, SCHEMA_NAMES, type SchemaFormat } from "./formats.js";

export interface SchemaOptions {
  name?: string | undefined;
}

/**
 * The JSON Schema (draft 2020-12) of a format, generated from its zod schema. Integers beyond 2^53
 * (read losslessly as bigint) are plain JSON integers; refinements that JSON Schema cannot say
 * (a real calendar date, the `$ref` shape inside payloads) stay zod's job.
 */
export async function jsonSchemaOf(format: SchemaFormat, name: string): Promise<JsonValue> {
  const schema = await format.load();
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "bigint") ctx.jsonSchema.type = "integer";
    },
  });
  // A plain JSON copy: the generated object also carries zod's non-JSON "~standard" member.
  const plain = JSON.parse(JSON.stringify(json)) as Record<string, JsonValue>;
  return { ...plain, title: `${format.format} (opsgate schema ${name})`, description: format.description };
}

export function schemaListing(): JsonValue {
  return {
    formats: SCHEMA_NAMES.map((name) => {
      const format = SCHEMA_FORMATS[name] as SchemaFormat;
      return { name, format: format.format, description: format.description };
    }),
  };
}

export async function runSchema(options: SchemaOptions): Promise<CommandResult> {
  const name = options.name;
  if (name === undefined) {
    writeToStdout((sink) => sink.write(`${pyJsonStringify(schemaListing())}\n`));
    return { exitCode: ExitCode.ok, summary: summaryLine("SCHEMA_LIST", { formats: SCHEMA_NAMES.length }) };
  }
  const format = Object.hasOwn(SCHEMA_FORMATS, name) ? SCHEMA_FORMATS[name] : undefined;
  if (!format) {
    throw new UserError(`unknown schema ${JSON.stringify(name)}`, { where: "NAME", hint: `one of: ${SCHEMA_NAMES.join(", ")}` });
  }
  const schema = await jsonSchemaOf(format, name);
  writeToStdout((sink) => sink.write(`${pyJsonStringify(schema)}\n`));
  return { exitCode: ExitCode.ok, summary: summaryLine("SCHEMA_OK", { name, format: format.format }) };
}
