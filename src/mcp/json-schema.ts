import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';

type JsonSchema = Record<string, unknown>;

/** Keywords whose value is one subschema. */
const SINGLE_SUBSCHEMA_KEYWORDS = [
  'items',
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
];

/** Keywords whose value is a list of subschemas. */
const SUBSCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf'];

/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions'];

/** The wrapped schemas, by the schema they wrap, so that each converts to JSON Schema once. */
const PORTABLE_SCHEMAS = new WeakMap<object, unknown>();

/**
 * Wraps a zod schema so that the JSON Schema the SDK advertises in `tools/list` uses only plain
 * objects and arrays. Strict clients such as MCP Inspector with `--strict` reject a boolean
 * schema like the `items: false` of a zod tuple, and `prefixItems` exists only since JSON Schema
 * draft 2020-12. Validation stays zod's own.
 *
 * The conversion runs once per schema and target, and its result is frozen and shared. The SDK
 * converts the output schema on every `tools/call`, and the bridge makes a server per request,
 * so without this each call converted again (about a quarter of a millisecond for
 * search_records).
 */
export function withPortableJsonSchema<Input, Output>(
  schema: StandardSchemaWithJSON<Input, Output>,
): StandardSchemaWithJSON<Input, Output> {
  const known = PORTABLE_SCHEMAS.get(schema);
  if (known !== undefined) {
    return known as StandardSchemaWithJSON<Input, Output>;
  }
  const standard = schema['~standard'];
  const wrapped: StandardSchemaWithJSON<Input, Output> = {
    '~standard': {
      ...standard,
      jsonSchema: {
        input: convertedOnce((options) => standard.jsonSchema.input(options)),
        output: convertedOnce((options) => standard.jsonSchema.output(options)),
      },
    },
  };
  PORTABLE_SCHEMAS.set(schema, wrapped);
  return wrapped;
}

/** Makes `convert` run once per distinct options value, returning its frozen portable result. */
function convertedOnce<Options>(
  convert: (options: Options) => JsonSchema,
): (options: Options) => JsonSchema {
  const results = new Map<string, JsonSchema>();
  return (options) => {
    const key = JSON.stringify(options);
    let result = results.get(key);
    if (result === undefined) {
      result = deepFreeze(portableJsonSchema(convert(options)));
      results.set(key, result);
    }
    return result;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
  }
  return value;
}

/**
 * Rewrites a JSON Schema into plain objects and arrays. `false` for `additionalProperties`
 * is dropped, so extra keys are allowed (zod strips them from input anyway), and any other
 * boolean subschema becomes `{}` or `{ "not": {} }`. A tuple (`prefixItems`) becomes an array
 * of any of its item schemas with a fixed length, and `type: [a, b]` becomes `anyOf`.
 */
export function portableJsonSchema(schema: JsonSchema): JsonSchema {
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) {
      continue;
    }
    result[key] = portableValue(key, value);
  }
  rewriteTuple(result, schema.items === false);
  rewriteTypeList(result);
  return result;
}

function portableValue(key: string, value: unknown): unknown {
  if (SINGLE_SUBSCHEMA_KEYWORDS.includes(key)) {
    return portableSubschema(value);
  }
  if (SUBSCHEMA_LIST_KEYWORDS.includes(key) || key === 'prefixItems') {
    return Array.isArray(value) ? value.map(portableSubschema) : value;
  }
  if (SUBSCHEMA_MAP_KEYWORDS.includes(key) && isObject(value)) {
    const entries = Object.entries(value).map(([name, sub]) => [name, portableSubschema(sub)]);
    return Object.fromEntries(entries);
  }
  return value;
}

function portableSubschema(value: unknown): unknown {
  if (value === true) {
    return {};
  }
  if (value === false) {
    return { not: {} };
  }
  return isObject(value) ? portableJsonSchema(value) : value;
}

/**
 * Rewrites a tuple as an array: a closed one (`items: false`) gets a fixed length, and an open
 * one keeps its rest schema among the item schemas.
 */
function rewriteTuple(schema: JsonSchema, closed: boolean): void {
  const items = schema.prefixItems;
  if (!Array.isArray(items)) {
    return;
  }
  delete schema.prefixItems;
  const alternatives = closed ? items : [...items, schema.items];
  schema.items = alternatives.length === 1 ? alternatives[0] : { anyOf: alternatives };
  schema.minItems = items.length;
  if (closed) {
    schema.maxItems = items.length;
  }
}

function rewriteTypeList(schema: JsonSchema): void {
  const types = schema.type;
  if (!Array.isArray(types)) {
    return;
  }
  delete schema.type;
  const alternatives = types.map((type) => ({ type }));
  if (schema.anyOf === undefined) {
    schema.anyOf = alternatives;
    return;
  }
  // Both must hold, so an existing anyOf cannot simply take the types as more alternatives.
  const allOf = Array.isArray(schema.allOf) ? schema.allOf : [];
  schema.allOf = [...allOf, { anyOf: alternatives }];
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
