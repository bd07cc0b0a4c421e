import { afterEach, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/mcp/server.js';
import { portableJsonSchema } from '../../src/mcp/json-schema.js';
import { connectClient, ScriptedConnection, type ConnectedSession } from './helpers.js';

/** Keywords whose value is one subschema, a list of them, or a map of names to them. */
const ONE = ['items', 'additionalProperties', 'propertyNames', 'contains', 'not', 'if', 'then'];
const LIST = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions'];

/** Returns the paths of every construct strict clients reject, walking each subschema. */
function unportable(schema: unknown, path: string): string[] {
  if (typeof schema === 'boolean') {
    return [`${path} is the boolean schema ${schema}`];
  }
  if (typeof schema !== 'object' || schema === null) {
    return [];
  }
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'prefixItems') {
      found.push(`${path}.prefixItems`);
    }
    if (key === 'type' && Array.isArray(value)) {
      found.push(`${path}.type is a list`);
    }
    if (ONE.includes(key)) {
      found.push(...unportable(value, `${path}.${key}`));
    }
    if (LIST.includes(key) && Array.isArray(value)) {
      value.forEach((item, index) => found.push(...unportable(item, `${path}.${key}[${index}]`)));
    }
    if (MAP.includes(key) && typeof value === 'object' && value !== null) {
      for (const [name, item] of Object.entries(value)) {
        found.push(...unportable(item, `${path}.${key}.${name}`));
      }
    }
  }
  return found;
}

let open: ConnectedSession | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('tool schemas', () => {
  it('are portable in tools/list', async () => {
    open = await connectClient(new ScriptedConnection('alice@example.com', {}), {
      email: 'alice@example.com',
      uid: 8,
    });
    const { tools } = await open.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(unportable(tool.inputSchema, `${tool.name}.inputSchema`)).toEqual([]);
      expect(unportable(tool.outputSchema, `${tool.name}.outputSchema`)).toEqual([]);
    }
  });

  it('keep selection pairs as two-item arrays', async () => {
    open = await connectClient(new ScriptedConnection('alice@example.com', {}), {
      email: 'alice@example.com',
      uid: 8,
    });
    const { tools } = await open.client.listTools();
    const describe = tools.find((tool) => tool.name === 'describe_model');
    type FieldsSchema = {
      items: { properties: { selection: { items: Record<string, unknown> } } };
    };
    const properties = describe?.outputSchema?.properties as { fields: FieldsSchema };
    const fields = properties.fields;
    const pair = fields.items.properties.selection.items;
    expect(pair.type).toBe('array');
    expect(pair.minItems).toBe(2);
    expect(pair.maxItems).toBe(2);
  });
});

describe('portableJsonSchema', () => {
  it('turns a closed tuple into a fixed-length array', () => {
    const tuple = {
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
    };
    expect(portableJsonSchema(tuple)).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      minItems: 2,
      maxItems: 2,
    });
  });

  it('keeps the rest schema of an open tuple', () => {
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'number' } };
    expect(portableJsonSchema(tuple)).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      minItems: 1,
    });
  });

  it('turns a type list into anyOf', () => {
    expect(portableJsonSchema({ type: ['string', 'null'], description: 'Time zone' })).toEqual({
      description: 'Time zone',
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
  });

  it('keeps an existing anyOf apart from a type list', () => {
    const schema = { type: ['string', 'null'], anyOf: [{ minLength: 1 }, { type: 'null' }] };
    expect(portableJsonSchema(schema)).toEqual({
      anyOf: [{ minLength: 1 }, { type: 'null' }],
      allOf: [{ anyOf: [{ type: 'string' }, { type: 'null' }] }],
    });
  });

  it('drops additionalProperties false and rewrites other boolean subschemas', () => {
    const schema = {
      type: 'object',
      properties: {
        any: true,
        none: false,
        nested: { type: 'object', additionalProperties: false },
      },
      additionalProperties: false,
    };
    expect(portableJsonSchema(schema)).toEqual({
      type: 'object',
      properties: { any: {}, none: { not: {} }, nested: { type: 'object' } },
    });
  });

  it('leaves keyword values that are not schemas alone', () => {
    const schema = { type: 'boolean', default: false, const: true, readOnly: true };
    expect(portableJsonSchema(schema)).toEqual(schema);
  });
});
