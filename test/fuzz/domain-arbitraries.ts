import fc from 'fast-check';
import { DOMAIN_OPERATORS } from '../../src/mcp/domain.js';

/**
 * Generators of Odoo domains for sale.order of the demo Odoo: well-formed ones that the bridge
 * should pass on unchanged, the same with one slip, and JSON that is hardly a domain at all.
 */

/** Fields of the demo's sale.order with values of their type, so many leaves are accepted. */
const TYPED_LEAVES: Array<fc.Arbitrary<[string | number, string, unknown]>> = [
  fc.tuple(
    fc.constant('state'),
    fc.constantFrom('=', '!=', '<>'),
    fc.constantFrom('draft', 'sent', 'sale', 'cancel'),
  ),
  fc.tuple(
    fc.constant('state'),
    fc.constantFrom('in', 'not in'),
    fc.subarray(['draft', 'sent', 'sale', 'cancel']),
  ),
  fc.tuple(
    fc.constantFrom('amount_total', 'amount_untaxed'),
    fc.constantFrom('=', '!=', '<', '>', '<=', '>='),
    fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.constant(false)),
  ),
  fc.tuple(
    fc.constantFrom('name', 'partner_id.name', 'user_id.login', 'client_order_ref'),
    fc.constantFrom('like', 'ilike', 'not ilike', '=like', '=ilike', 'ILIKE', 'Like'),
    fc.string({ maxLength: 8 }),
  ),
  fc.tuple(
    fc.constantFrom('date_order', 'create_date'),
    fc.constantFrom('<', '>', '<=', '>='),
    fc.constantFrom('2026-01-01', '2025-06-30 12:00:00', '2024-02-29', false),
  ),
  fc.tuple(
    fc.constantFrom('partner_id', 'user_id', 'company_id', 'id'),
    fc.constantFrom('=', '!=', 'child_of', 'parent_of'),
    fc.integer({ min: 0, max: 60 }),
  ),
  fc.tuple(
    fc.constantFrom('partner_id', 'user_id', 'company_id', 'id'),
    fc.constantFrom('in', 'not in', 'child_of', 'parent_of'),
    fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 6 }),
  ),
  fc.tuple(fc.constant('locked'), fc.constantFrom('=', '!='), fc.boolean()),
  fc.tuple(fc.constantFrom(1, 0), fc.constant('='), fc.constant(1)),
];

/** A leaf on one of the typed fields. */
export const typedLeaf = fc.oneof(...TYPED_LEAVES);

/** Leaves on fields of the models that sale.order's `any` sub-domains search. */
const COMODEL_LEAVES: Record<string, fc.Arbitrary<unknown[]>> = {
  order_line: fc.oneof(
    fc.tuple(
      fc.constantFrom('name', 'product_id.name', 'product_id.default_code'),
      fc.constantFrom('ilike', 'not ilike', '='),
      fc.string({ maxLength: 6 }),
    ),
    fc.tuple(
      fc.constantFrom('product_uom_qty', 'price_unit', 'discount', 'price_total'),
      fc.constantFrom('=', '<', '>=', '!='),
      fc.integer({ min: 0, max: 5000 }),
    ),
    fc.tuple(fc.constant('product_id'), fc.constantFrom('in', 'not in'), fc.array(fc.nat(40))),
  ),
  partner_id: fc.oneof(
    fc.tuple(
      fc.constantFrom('name', 'email', 'city', 'ref', 'parent_id.name'),
      fc.constantFrom('ilike', '=', '!=', '=ilike'),
      fc.string({ maxLength: 6 }),
    ),
    fc.tuple(fc.constantFrom('active', 'is_company'), fc.constantFrom('=', '!='), fc.boolean()),
    fc.tuple(fc.constant('parent_id'), fc.constantFrom('=', 'child_of'), fc.nat(40)),
  ),
  user_id: fc.tuple(
    fc.constantFrom('login', 'name', 'partner_id.email'),
    fc.constantFrom('ilike', '=', 'not ilike'),
    fc.string({ maxLength: 6 }),
  ),
};

/** A boolean expression over leaves, as a tree, turned into prefix notation below. */
type Expression =
  | { leaf: unknown[] }
  | { not: Expression }
  | { op: '&' | '|'; left: Expression; right: Expression }
  | { any: 'any' | 'not any'; field: string; inner: Expression[] };

/** Expressions of `not`, `and` and `or` over the leaves of `leaf`, with `any` nodes of `sub`. */
function expressions(
  leaf: fc.Arbitrary<unknown[]>,
  sub?: fc.Arbitrary<Expression>,
): fc.Arbitrary<Expression> {
  return fc.letrec<{ expression: Expression }>((tie) => ({
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf.map((value): Expression => ({ leaf: value })),
      tie('expression').map((inner): Expression => ({ not: inner })),
      fc
        .record({
          op: fc.constantFrom('&' as const, '|' as const),
          left: tie('expression'),
          right: tie('expression'),
        })
        .map((node): Expression => node),
      ...(sub === undefined ? [] : [sub]),
    ),
  })).expression;
}

/** An `any` or `not any` leaf on one of sale.order's relational fields. */
const anyExpression: fc.Arbitrary<Expression> = fc.oneof(
  ...Object.entries(COMODEL_LEAVES).map(([field, leaf]) =>
    fc
      .record({
        any: fc.constantFrom('any' as const, 'not any' as const),
        field: fc.constant(field),
        inner: fc.array(expressions(leaf), { maxLength: 3 }),
      })
      .map((node): Expression => node),
  ),
);

const expressionTree = expressions(typedLeaf, anyExpression);

function toPrefix(expression: Expression): unknown[] {
  if ('leaf' in expression) {
    return [expression.leaf];
  }
  if ('not' in expression) {
    return ['!', ...toPrefix(expression.not)];
  }
  if ('op' in expression) {
    return [expression.op, ...toPrefix(expression.left), ...toPrefix(expression.right)];
  }
  return [[expression.field, expression.any, expression.inner.flatMap(toPrefix)]];
}

/** Returns how deep lists nest in a value: 1 for a flat list, 0 for anything else. */
export function listDepth(value: unknown): number {
  if (!Array.isArray(value)) {
    return 0;
  }
  return 1 + Math.max(0, ...value.map(listDepth));
}

/**
 * A domain whose structure is valid: top-level expressions, each in prefix notation, nested
 * no deeper than the bridge's limit of 10 lists (a leaf and its sub-domain are two each).
 */
export const wellFormedDomain: fc.Arbitrary<unknown[]> = fc
  .array(expressionTree, { maxLength: 5 })
  .map((expressions) => expressions.flatMap(toPrefix))
  .filter((domain) => listDepth(domain) <= 10);

/** Field paths that are not a field of sale.order, or not a path at all. */
const badField = fc.oneof(
  fc.constantFrom('', ' state', 'state ', 'State', 'no_such_field', 'partner_id..name', '.name'),
  fc.constantFrom('partner_id.', '1state', 'state;drop', 'state--', '__proto__', 'constructor'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.constantFrom(null, true, false, 2, -1, 1.5),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);

/** Operators Odoo has that the bridge does not pass, and strings that are no operator. */
const badOperator = fc.oneof(
  fc.constantFrom('=?', '==', 'between', 'not', 'is', '', ' =', '= ', 'in ', 'not  in', '!'),
  fc.constantFrom('&', '|', 'any ', 'NOT ANY', 'ilike%', '=<', '=>', 'child of', 'not_in'),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(null, 1, true, ['='], { op: '=' }),
);

/** Anything JSON can hold, to stand in for a value or a whole term. */
const jsonGarbage = fc.jsonValue({ maxDepth: 3 });

/** A term that breaks a rule of its own: wrong arity, bad field, bad operator or bad value. */
export const badTerm: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(badField, fc.constantFrom(...DOMAIN_OPERATORS), jsonGarbage),
  fc.tuple(fc.constantFrom('state', 'name', 'amount_total'), badOperator, jsonGarbage),
  fc.tuple(
    fc.constantFrom('state', 'id'),
    fc.constantFrom('in', 'not in', 'IN'),
    fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.constant(null),
      fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 2 }),
    ),
  ),
  fc.tuple(
    fc.constantFrom('order_line', 'partner_id'),
    fc.constantFrom('any', 'not any'),
    fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.constant(null),
      fc.constant([['name', '=', 'x'], '|']),
      fc.constant(['name', '=', 'x']),
    ),
  ),
  fc.tuple(
    fc.constantFrom('state', 'name'),
    fc.constantFrom('=', '!='),
    fc.dictionary(fc.string({ maxLength: 3 }), jsonGarbage, { minKeys: 1, maxKeys: 2 }),
  ),
  fc.array(jsonGarbage, { maxLength: 2 }),
  fc.array(jsonGarbage, { minLength: 4, maxLength: 6 }),
  fc.tuple(fc.constantFrom(1, 0, 2), fc.constantFrom('=', '!='), fc.constantFrom(1, 0, true)),
  fc.constantFrom('&&', 'AND', 'or', '!!', ' | ', '', 'state'),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)),
  fc.dictionary(fc.string({ maxLength: 4 }), jsonGarbage, { maxKeys: 3 }),
);

/**
 * A well-formed domain with one slip: a term replaced by a bad one, a bad term inserted, a
 * connector inserted or a term removed. Removing a term may leave it well-formed.
 */
export const mutatedDomain: fc.Arbitrary<unknown[]> = fc
  .tuple(
    wellFormedDomain,
    fc.constantFrom('replace', 'insert', 'connector', 'remove'),
    fc.nat(),
    badTerm,
    fc.constantFrom('&', '|', '!'),
  )
  .map(([domain, mutation, position, term, connector]) => {
    const copy = [...domain];
    const at = copy.length === 0 ? 0 : position % (copy.length + 1);
    switch (mutation) {
      case 'replace':
        copy.splice(Math.min(at, Math.max(copy.length - 1, 0)), 1, term);
        break;
      case 'insert':
        copy.splice(at, 0, term);
        break;
      case 'connector':
        copy.splice(at, 0, connector);
        break;
      case 'remove':
        copy.splice(at, 1);
        break;
    }
    return copy;
  });

/** Connectors at the end, in a row, or alone: each lacks operands. */
export const danglingConnectors: fc.Arbitrary<unknown[]> = fc
  .tuple(wellFormedDomain, fc.array(fc.constantFrom('&', '|', '!'), { minLength: 1, maxLength: 4 }))
  .map(([domain, connectors]) => [...domain, ...connectors]);

/** `any` sub-domains nested deeper than the bridge allows, or just within it. */
export const deepDomain: fc.Arbitrary<unknown[]> = fc
  .tuple(fc.integer({ min: 5, max: 40 }), typedLeaf)
  .map(([depth, leaf]) => {
    let domain: unknown[] = [leaf];
    for (let level = 0; level < depth; level += 1) {
      domain = [['order_line', 'any', domain]];
    }
    return domain;
  });

/** Lists deeper than any domain: a term that is a list of lists of lists. */
export const nestedLists: fc.Arbitrary<unknown[]> = fc.integer({ min: 5, max: 60 }).map((depth) => {
  let value: unknown[] = [];
  for (let level = 0; level < depth; level += 1) {
    value = [value];
  }
  return value;
});

/** An `in` list or a run of leaves around the bridge's limit of 2000 terms. */
export const hugeDomain: fc.Arbitrary<unknown[]> = fc.oneof(
  fc
    .integer({ min: 1500, max: 2600 })
    .map((size) => [['id', 'in', Array.from({ length: size }, (_, index) => index + 1)]]),
  fc
    .integer({ min: 900, max: 2100 })
    .map((size) => Array.from({ length: size }, (_, index) => ['id', '!=', index + 1])),
);

/** Any domain argument: the kinds above, some sent as JSON text, and JSON that is no list. */
export const domainArgument: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: wellFormedDomain, weight: 4 },
  { arbitrary: mutatedDomain, weight: 4 },
  { arbitrary: danglingConnectors, weight: 1 },
  { arbitrary: deepDomain, weight: 1 },
  { arbitrary: nestedLists, weight: 1 },
  { arbitrary: fc.array(badTerm, { maxLength: 4 }), weight: 2 },
  { arbitrary: fc.oneof(wellFormedDomain, mutatedDomain).map((d) => JSON.stringify(d)), weight: 2 },
  { arbitrary: typedLeaf, weight: 1 },
  {
    arbitrary: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('', '[', '[]]', "[('state', '=', 'sale')]", '[["state","=",True]]', 'null'),
      fc.constantFrom('{}', '"[]"', '1', '[] []', '\u0000[]'),
      jsonGarbage,
    ),
    weight: 2,
  },
);
