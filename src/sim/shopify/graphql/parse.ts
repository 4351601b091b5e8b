/**
 * A parser for the subset of GraphQL (https://spec.graphql.org/October2021/) that Admin API clients send:
 * one or more `query`/`mutation` operations (or an anonymous `{ … }`), variable definitions with defaults,
 * fields with aliases and arguments, `@include`/`@skip`, inline fragments and named fragments.
 * Not supported: subscriptions, `extend`, type-system definitions.
 */

export type GqlValue =
  | { kind: 'variable'; name: string }
  | { kind: 'int' | 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: GqlValue[] }
  | { kind: 'object'; fields: Record<string, GqlValue> };

export interface GqlDirective {
  name: string;
  args: Record<string, GqlValue>;
}

export interface GqlField {
  kind: 'field';
  alias: string | undefined;
  name: string;
  args: Record<string, GqlValue>;
  directives: GqlDirective[];
  selections: GqlSelection[];
  line: number;
  column: number;
}

export interface GqlInlineFragment {
  kind: 'inline';
  typeCondition: string | undefined;
  directives: GqlDirective[];
  selections: GqlSelection[];
}

interface GqlSpread {
  kind: 'spread';
  name: string;
  directives: GqlDirective[];
}

export type GqlSelection = GqlField | GqlInlineFragment;

export interface GqlOperation {
  type: 'query' | 'mutation';
  name: string | undefined;
  variables: Array<{ name: string; defaultValue: GqlValue | undefined }>;
  selections: GqlSelection[];
}

export class GqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
  value: string;
  line: number;
  column: number;
}

const PUNCT = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (kind: Token['kind'], value: string, start: number): Token => ({ kind, value, line, column: start - lineStart + 1 });
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ',' || ch === '\uFEFF') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith('...', i)) {
      tokens.push(at('punct', '...', i));
      i += 3;
      continue;
    }
    if (PUNCT.has(ch)) {
      tokens.push(at('punct', ch, i));
      i++;
      continue;
    }
    if (/[_A-Za-z]/.test(ch)) {
      const start = i;
      while (i < source.length && /[_0-9A-Za-z]/.test(source[i]!)) i++;
      tokens.push(at('name', source.slice(start, i), start));
      continue;
    }
    if (/[-0-9]/.test(ch)) {
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!match) throw new GqlSyntaxError(`Parse error on "${ch}"`, line, i - lineStart + 1);
      tokens.push(at(match[2] || match[3] ? 'float' : 'int', match[0], i));
      i += match[0].length;
      continue;
    }
    if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new GqlSyntaxError('Unterminated block string', line, i - lineStart + 1);
      const raw = source.slice(i + 3, end);
      tokens.push(at('string', raw.replace(/\\"""/g, '"""').trim(), i));
      for (const c of raw) if (c === '\n') line++;
      i = end + 3;
      continue;
    }
    if (ch === '"') {
      const start = i;
      i++;
      let value = '';
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\n') throw new GqlSyntaxError('Unterminated string', line, start - lineStart + 1);
        if (source[i] === '\\') {
          const next = source[i + 1];
          if (next === 'u') {
            value += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
          value += escapes[next ?? ''] ?? '';
          i += 2;
          continue;
        }
        value += source[i];
        i++;
      }
      if (i >= source.length) throw new GqlSyntaxError('Unterminated string', line, start - lineStart + 1);
      i++;
      tokens.push(at('string', value, start));
      continue;
    }
    throw new GqlSyntaxError(`Parse error on "${ch}"`, line, i - lineStart + 1);
  }
  tokens.push({ kind: 'eof', value: '', line, column: i - lineStart + 1 });
  return tokens;
}

class Parser {
  private pos = 0;
  readonly fragments = new Map<string, { typeCondition: string; selections: Array<GqlSelection | GqlSpread> }>();

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const token = this.tokens[this.pos]!;
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private fail(token: Token): never {
    const shown = token.kind === 'eof' ? 'end of file' : `"${token.value}" (${token.kind.toUpperCase()})`;
    throw new GqlSyntaxError(`Parse error on ${shown} at [${token.line}, ${token.column}]`, token.line, token.column);
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private expectPunct(value: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.value !== value) this.fail(token);
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') this.fail(token);
    return token.value;
  }

  document(): Array<{
    type: 'query' | 'mutation';
    name: string | undefined;
    variables: GqlOperation['variables'];
    raw: Array<GqlSelection | GqlSpread>;
  }> {
    const operations: Array<{
      type: 'query' | 'mutation';
      name: string | undefined;
      variables: GqlOperation['variables'];
      raw: Array<GqlSelection | GqlSpread>;
    }> = [];
    while (this.peek().kind !== 'eof') {
      const token = this.peek();
      if (token.kind === 'punct' && token.value === '{') {
        operations.push({ type: 'query', name: undefined, variables: [], raw: this.selectionSet() });
        continue;
      }
      if (token.kind !== 'name') this.fail(token);
      if (token.value === 'fragment') {
        this.next();
        const name = this.name();
        if (this.name() !== 'on') this.fail(this.tokens[this.pos - 1]!);
        const typeCondition = this.name();
        this.directives();
        this.fragments.set(name, { typeCondition, selections: this.selectionSet() });
        continue;
      }
      if (token.value !== 'query' && token.value !== 'mutation') this.fail(token);
      this.next();
      const name = this.peek().kind === 'name' ? this.name() : undefined;
      const variables: GqlOperation['variables'] = [];
      if (this.isPunct('(')) {
        this.next();
        while (!this.isPunct(')')) {
          this.expectPunct('$');
          const varName = this.name();
          this.expectPunct(':');
          this.typeRef();
          let defaultValue: GqlValue | undefined;
          if (this.isPunct('=')) {
            this.next();
            defaultValue = this.value(true);
          }
          this.directives();
          variables.push({ name: varName, defaultValue });
        }
        this.next();
      }
      this.directives();
      operations.push({ type: token.value, name, variables, raw: this.selectionSet() });
    }
    return operations;
  }

  private typeRef(): void {
    if (this.isPunct('[')) {
      this.next();
      this.typeRef();
      this.expectPunct(']');
    } else {
      this.name();
    }
    if (this.isPunct('!')) this.next();
  }

  private directives(): GqlDirective[] {
    const out: GqlDirective[] = [];
    while (this.isPunct('@')) {
      this.next();
      const name = this.name();
      out.push({ name, args: this.isPunct('(') ? this.arguments() : {} });
    }
    return out;
  }

  private arguments(): Record<string, GqlValue> {
    this.expectPunct('(');
    const args: Record<string, GqlValue> = {};
    while (!this.isPunct(')')) {
      const name = this.name();
      this.expectPunct(':');
      args[name] = this.value(false);
    }
    this.next();
    return args;
  }

  private value(constant: boolean): GqlValue {
    const token = this.next();
    if (token.kind === 'punct') {
      if (token.value === '$' && !constant) return { kind: 'variable', name: this.name() };
      if (token.value === '[') {
        const values: GqlValue[] = [];
        while (!this.isPunct(']')) values.push(this.value(constant));
        this.next();
        return { kind: 'list', values };
      }
      if (token.value === '{') {
        const fields: Record<string, GqlValue> = {};
        while (!this.isPunct('}')) {
          const name = this.name();
          this.expectPunct(':');
          fields[name] = this.value(constant);
        }
        this.next();
        return { kind: 'object', fields };
      }
      this.fail(token);
    }
    if (token.kind === 'int') return { kind: 'int', value: Number(token.value) };
    if (token.kind === 'float') return { kind: 'float', value: Number(token.value) };
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'name') {
      if (token.value === 'true' || token.value === 'false') return { kind: 'boolean', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: token.value };
    }
    this.fail(token);
  }

  private selectionSet(): Array<GqlSelection | GqlSpread> {
    this.expectPunct('{');
    const out: Array<GqlSelection | GqlSpread> = [];
    while (!this.isPunct('}')) {
      if (this.isPunct('...')) {
        this.next();
        if (this.peek().kind === 'name' && this.peek().value !== 'on') {
          out.push({ kind: 'spread', name: this.name(), directives: this.directives() });
          continue;
        }
        let typeCondition: string | undefined;
        if (this.peek().kind === 'name') {
          this.next();
          typeCondition = this.name();
        }
        const directives = this.directives();
        out.push({ kind: 'inline', typeCondition, directives, selections: this.resolveLater(this.selectionSet()) });
        continue;
      }
      const first = this.peek();
      let alias: string | undefined;
      let name = this.name();
      if (this.isPunct(':')) {
        this.next();
        alias = name;
        name = this.name();
      }
      const args = this.isPunct('(') ? this.arguments() : {};
      const directives = this.directives();
      const selections = this.isPunct('{') ? this.resolveLater(this.selectionSet()) : [];
      out.push({ kind: 'field', alias, name, args, directives, selections, line: first.line, column: first.column });
    }
    this.next();
    return out;
  }

  // Spreads may name fragments defined later in the document; they are expanded after parsing.
  private pendingSpreads: Array<{ target: GqlSelection[]; raw: Array<GqlSelection | GqlSpread> }> = [];

  private resolveLater(raw: Array<GqlSelection | GqlSpread>): GqlSelection[] {
    const target: GqlSelection[] = [];
    this.pendingSpreads.push({ target, raw });
    return target;
  }

  expand(raw: Array<GqlSelection | GqlSpread>, depth = 0): GqlSelection[] {
    if (depth > 20) throw new GqlSyntaxError('Fragment spreads are nested too deeply (cycle?)', 0, 0);
    const out: GqlSelection[] = [];
    for (const selection of raw) {
      if (selection.kind !== 'spread') {
        out.push(selection);
        continue;
      }
      const fragment = this.fragments.get(selection.name);
      if (!fragment) throw new GqlSyntaxError(`Fragment ${selection.name} was used, but not defined`, 0, 0);
      out.push({
        kind: 'inline',
        typeCondition: fragment.typeCondition,
        directives: selection.directives,
        selections: this.expand(fragment.selections, depth + 1),
      });
    }
    return out;
  }

  finish(): void {
    for (const pending of this.pendingSpreads) pending.target.push(...this.expand(pending.raw));
  }
}

/** Parses a document and picks the operation to run (by name when the document holds several). */
export function parseOperation(source: string, operationName?: string): GqlOperation {
  const parser = new Parser(tokenize(source));
  const operations = parser.document();
  parser.finish();
  if (operations.length === 0) throw new GqlSyntaxError('No operations in document', 1, 1);
  const chosen = operationName ? operations.find((o) => o.name === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!chosen) {
    throw new GqlSyntaxError(
      operationName ? `No operation named "${operationName}"` : 'An operation name is required when the document holds several operations',
      1,
      1,
    );
  }
  return { type: chosen.type, name: chosen.name, variables: chosen.variables, selections: parser.expand(chosen.raw) };
}
