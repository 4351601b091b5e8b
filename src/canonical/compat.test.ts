import { describe, expect, it } from 'vitest';
import { type CompatibilityRule, checkBackwardCompatibility, checkSchemaSet, type JsonSchema } from './compat.js';

type SchemaObject = { readonly [keyword: string]: unknown };

const obj = (properties: Record<string, JsonSchema>, required: string[] = [], extra: JsonSchema | undefined = false): SchemaObject => ({
  type: 'object',
  properties,
  required,
  ...(extra === undefined ? {} : { additionalProperties: extra }),
});
const str = (more: Record<string, unknown> = {}): SchemaObject => ({ type: 'string', ...more });

function rules(prev: JsonSchema, next: JsonSchema): CompatibilityRule[] {
  return checkBackwardCompatibility(prev, next).map((i) => i.rule);
}

describe('checkBackwardCompatibility flags changes that reject old data', () => {
  const cases: Array<[string, JsonSchema, JsonSchema, CompatibilityRule, string]> = [
    ['a new required property', obj({ a: str() }, ['a']), obj({ a: str(), b: str() }, ['a', 'b']), 'required-added', '/b'],
    ['an optional property made required', obj({ a: str() }), obj({ a: str() }, ['a']), 'required-added', '/a'],
    ['a removed property', obj({ a: str(), b: str() }), obj({ a: str() }), 'property-removed', '/b'],
    ['a narrowed type', obj({ a: { type: ['string', 'null'] } }), obj({ a: str() }), 'type-narrowed', '/a'],
    ['number to integer', { type: 'number' }, { type: 'integer' }, 'type-narrowed', '/'],
    ['a type where there was none', {}, str(), 'type-narrowed', '/'],
    ['an enum value removed', str({ enum: ['a', 'b', 'c'] }), str({ enum: ['a', 'b'] }), 'enum-narrowed', '/'],
    ['an enum added to a free string', str(), str({ enum: ['a'] }), 'enum-narrowed', '/'],
    ['a const changed', { const: 'x' }, { const: 'y' }, 'const-changed', '/'],
    [
      'fewer decimals allowed',
      str({ pattern: '^-?(0|[1-9]\\d{0,17})(\\.\\d{1,4})?$' }),
      str({ pattern: '^-?(0|[1-9]\\d{0,17})(\\.\\d{1,2})?$' }),
      'pattern-narrowed',
      '/',
    ],
    ['a pattern added', str(), str({ pattern: '^[A-Z]{3}$' }), 'pattern-narrowed', '/'],
    ['a format added', str(), str({ format: 'date-time' }), 'format-changed', '/'],
    ['maxLength lowered', str({ maxLength: 100 }), str({ maxLength: 50 }), 'bound-narrowed', '/'],
    ['minLength added', str(), str({ minLength: 1 }), 'bound-narrowed', '/'],
    ['minimum raised', { type: 'integer', minimum: 0 }, { type: 'integer', minimum: 1 }, 'bound-narrowed', '/'],
    ['minItems added', { type: 'array', items: str() }, { type: 'array', items: str(), minItems: 1 }, 'bound-narrowed', '/'],
    ['additionalProperties tightened', obj({ a: str() }, [], true), obj({ a: str() }, [], false), 'additional-properties-tightened', '/'],
    [
      'a typed property over an open object',
      obj({ a: str() }, [], true),
      obj({ a: str(), b: { type: 'integer' } }, [], true),
      'property-added-to-open-object',
      '/b',
    ],
    [
      'record values narrowed',
      { type: 'object', additionalProperties: {} },
      { type: 'object', additionalProperties: str() },
      'type-narrowed',
      '/*',
    ],
    [
      'record keys narrowed',
      { type: 'object', additionalProperties: str() },
      { type: 'object', propertyNames: str({ pattern: '^[a-z]+$' }), additionalProperties: str() },
      'pattern-narrowed',
      '/(key)',
    ],
    [
      'array items narrowed',
      { type: 'array', items: str({ enum: ['a', 'b'] }) },
      { type: 'array', items: str({ enum: ['a'] }) },
      'enum-narrowed',
      '/*',
    ],
    ['a union branch removed', { anyOf: [str(), { type: 'integer' }] }, str(), 'type-narrowed', '/'],
    [
      'a union that no longer covers a branch',
      { anyOf: [str({ enum: ['a'] }), str({ enum: ['b'] })] },
      { anyOf: [str({ enum: ['a'] })] },
      'union-narrowed',
      '/',
    ],
    ['everything rejected', str(), false, 'rejects-everything', '/'],
    ['an unsupported keyword added', obj({ a: str() }), { ...obj({ a: str() }), not: { required: ['a'] } }, 'unsupported-change', '/'],
  ];

  for (const [name, prev, next, rule, path] of cases) {
    it(name, () => {
      const issues = checkBackwardCompatibility(prev, next);
      expect(issues.map((i) => [i.rule, i.path])).toContainEqual([rule, path]);
    });
  }

  it('follows $ref into $defs on both sides', () => {
    const prev = {
      $defs: { Money: obj({ amount: str(), currency: str() }, ['amount', 'currency']) },
      ...obj({ total: { $ref: '#/$defs/Money' } }),
    };
    const next = {
      $defs: { Money: obj({ amount: str(), currency: str({ pattern: '^[A-Z]{3}$' }) }, ['amount', 'currency']) },
      ...obj({ total: { $ref: '#/$defs/Money' } }),
    };
    expect(checkBackwardCompatibility(prev, next).map((i) => [i.rule, i.path])).toEqual([['pattern-narrowed', '/total/currency']]);
  });

  it('terminates on recursive schemas', () => {
    const tree = { $defs: { Node: obj({ children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) }, $ref: '#/$defs/Node' };
    const narrowed = {
      $defs: { Node: obj({ children: { type: 'array', items: { $ref: '#/$defs/Node' }, maxItems: 3 } }) },
      $ref: '#/$defs/Node',
    };
    expect(rules(tree, tree)).toEqual([]);
    expect(rules(tree, narrowed)).toContain('bound-narrowed');
  });
});

describe('checkBackwardCompatibility accepts changes that keep old data valid', () => {
  const cases: Array<[string, JsonSchema, JsonSchema]> = [
    ['identical schemas', obj({ a: str() }, ['a']), obj({ a: str() }, ['a'])],
    ['a new optional property on a closed object', obj({ a: str() }, ['a']), obj({ a: str(), b: str() }, ['a'])],
    ['a widened enum', str({ enum: ['a', 'b'] }), str({ enum: ['a', 'b', 'c'] })],
    ['a required property made optional', obj({ a: str() }, ['a']), obj({ a: str() })],
    ['integer to number', { type: 'integer' }, { type: 'number' }],
    ['null added to a type', str(), { type: ['string', 'null'] }],
    ['maxLength raised', str({ maxLength: 50 }), str({ maxLength: 100 })],
    ['minimum removed', { type: 'integer', minimum: 1 }, { type: 'integer' }],
    [
      'more decimals allowed',
      str({ pattern: '^-?(0|[1-9]\\d{0,17})(\\.\\d{1,4})?$' }),
      str({ pattern: '^-?(0|[1-9]\\d{0,17})(\\.\\d{1,6})?$' }),
    ],
    ['a pattern dropped', str({ pattern: '^[A-Z]{3}$' }), str()],
    ['an enum replaced by a pattern its values match', str({ enum: ['EA', 'CS'] }), str({ pattern: '^[A-Z]{2}$' })],
    ['additionalProperties opened', obj({ a: str() }, [], false), obj({ a: str() }, [], true)],
    ['a union gains a branch', str(), { anyOf: [str(), { type: 'integer' }] }],
    ['annotations changed', { ...str(), description: 'old', title: 'A' }, { ...str(), description: 'new', default: 'x', examples: ['y'] }],
    ['minItems lowered', { type: 'array', items: str(), minItems: 2 }, { type: 'array', items: str(), minItems: 1 }],
  ];
  for (const [name, prev, next] of cases) {
    it(name, () => {
      expect(checkBackwardCompatibility(prev, next)).toEqual([]);
    });
  }
});

describe('checkSchemaSet', () => {
  it('reports a schema file that disappeared and the issues of the others by file', () => {
    const prev = new Map<string, JsonSchema>([
      ['a.v1.schema.json', obj({ x: str() })],
      ['b.v1.schema.json', obj({ y: str() })],
    ]);
    const next = new Map<string, JsonSchema>([['a.v1.schema.json', obj({ x: str() }, ['x'])]]);
    expect(checkSchemaSet(prev, next).map((i) => [i.file, i.rule])).toEqual([
      ['a.v1.schema.json', 'required-added'],
      ['b.v1.schema.json', 'schema-removed'],
    ]);
  });
});
