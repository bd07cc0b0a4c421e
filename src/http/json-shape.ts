/** Bounds on the structure of a JSON document, checked before it is parsed. */
export interface JsonShapeLimits {
  maxDepth: number;
  /** Members of one object. */
  maxObjectMembers: number;
  /** Arrays, objects and the commas between their entries in the whole document: about its values. */
  maxEntries: number;
}

/**
 * Bounds for JSON sent by clients. MCP messages and client metadata typically nest fewer than
 * ten levels, and a tool call carries at most a few thousand values (a domain has at most 2000
 * terms), so these bounds reject only documents built to be expensive. The MCP SDK parses a
 * body more than once, and 1 MiB of deeply nested arrays, or of objects with many keys, took
 * it up to ten times longer than a 1 MiB string. Within these bounds no body took longer
 * than about twice the string (measured at /mcp on a 2-core machine).
 */
export const CLIENT_JSON_LIMITS: JsonShapeLimits = {
  maxDepth: 64,
  maxObjectMembers: 1000,
  maxEntries: 20_000,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Returns why a JSON text exceeds the limits, or undefined when it does not. Reads the text
 * once without parsing it, counting nesting and commas outside strings, so its time is linear
 * in the text's length whatever the text contains. Malformed JSON is left for JSON.parse to
 * reject.
 */
export function jsonShapeViolation(
  text: string,
  limits: JsonShapeLimits = CLIENT_JSON_LIMITS,
): string | undefined {
  // For each open container: whether it is an object, and how many commas it has so far.
  const isObject: boolean[] = [];
  const commas: number[] = [];
  // Each array or object is an entry of its parent, and each comma adds one more entry.
  let entries = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) {
        index += 1;
      } else if (code === QUOTE) {
        inString = false;
      }
      continue;
    }
    if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (isObject.length === limits.maxDepth) {
        return `JSON nests deeper than ${limits.maxDepth} levels`;
      }
      isObject.push(code === OPEN_OBJECT);
      commas.push(0);
      entries += 1;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      isObject.pop();
      commas.pop();
    } else if (code === COMMA && commas.length > 0) {
      const top = commas.length - 1;
      commas[top]! += 1;
      entries += 1;
      if (isObject[top]! && commas[top]! + 1 > limits.maxObjectMembers) {
        return `a JSON object has more than ${limits.maxObjectMembers} members`;
      }
    }
    if (entries > limits.maxEntries) {
      return `JSON has more than ${limits.maxEntries} values`;
    }
  }
  return undefined;
}
