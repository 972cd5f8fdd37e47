/**
 * Renders API Gateway mapping templates with velocityjs, made to behave as Apache Velocity 1.7 does
 * inside API Gateway (checked by the conformance suite against the real engine):
 *
 * - `#if`, `!`, `&&`, `||`: only null and false are false (velocityjs uses JavaScript truthiness, so ""
 *   and 0 were false); a literal condition (`#if("")`, `#if(0)`) is false, as in Velocity 1.7;
 * - `==`/`!=`: nulls equal each other only; numbers by value; values of one Java class by `equals`;
 *   anything else by comparing their `toString()` (so `true == "true"`, but `["x"] != "x"`);
 *   `<`, `>`, `<=`, `>=` compare numbers only, and are false for anything else;
 * - a reference renders as `String.valueOf` would write it (see `java.ts`), and as nothing when null;
 * - `#set` of a null value leaves the variable as it was (`directive.set.null.allowed` is false);
 * - methods called on text are Java's `String` methods (`replaceAll` takes a Java regex, `matches` the
 *   whole string…), and a method Java's `String` lacks gives null, as Velocity's introspection does.
 *
 * Templates are parsed once and cached: the contract has a handful, and parsing costs more than rendering.
 * These overrides rely on velocityjs internals, which is why velocityjs is pinned exactly and
 * `test/pins.test.ts` checks what they rely on.
 */
import { Compile, parse } from 'velocityjs';
import type { TemplateContext } from './context.ts';
import type { TemplateInput } from './input.ts';
import { javaToString } from './java.ts';
import { javaIndex, javaMethods, javaProperty } from './java-methods.ts';
import { util } from './util.ts';
import { velocityCompare, velocityEquals } from './velocity-values.ts';

type Ast = ReturnType<typeof parse>;
// velocityjs's AST nodes, as far as these overrides read them.
interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly operator?: string;
  readonly expression?: Node[];
  readonly condition?: Node;
  readonly equal?: [Node, Node];
}
interface Property {
  readonly type: 'method' | 'property' | 'index';
  readonly id: unknown;
}
/** velocityjs's method call, mixed into Compile but absent from its type declarations. */
interface VelocityjsMethods {
  getPropMethod(property: Property, baseRef: unknown, ast: unknown): unknown;
}

/** Bound on cached string literals; the contract's templates have a few. */
const MAX_CACHED_STRINGS = 10_000;
const parsedStrings = new Map<string, Ast>();

/** A `#set` value computed before velocityjs's own `setValue` runs (see `setValue`). */
const PRECOMPUTED = 'kproxy:precomputed';

/** Literal node types: as a condition, Velocity 1.7 evaluates each of them to false. */
const LITERALS = new Set(['string', 'integer', 'decimal', 'array', 'map', 'runt']);

class ApiGatewayCompile extends Compile {
  /**
   * A compiled template is reused for every request, but velocityjs keeps each `#foreach`'s loop
   * variables in `this.local` under a fresh id and never removes the entry: without this reset every
   * PutRecords request would leave one behind for the life of the process.
   */
  override render(...args: Parameters<Compile['render']>): string {
    this.local = {};
    this.conditions = [];
    this.contextId = '';
    return super.render(...args);
  }

  /**
   * velocityjs parses every double-quoted string literal that contains `$` or `#` each time it is
   * evaluated. The PutRecords template evaluates `"$.records[$foreach.index].data"` and its siblings once
   * per record, so that parse dominated the cost of rendering a 500-record batch; the parsed form of a
   * literal never changes, so it is cached.
   */
  protected override evalStr(str: string): string {
    let asts = parsedStrings.get(str);
    if (!asts) {
      asts = parse(str);
      if (parsedStrings.size >= MAX_CACHED_STRINGS) parsedStrings.clear();
      parsedStrings.set(str, asts);
    }
    return this.renderAstList(asts, this.contextId);
  }

  /** Rendering a reference (`isVal`): its Java text, or nothing for null. */
  protected override getReferences(ast: Node, isVal?: boolean): string {
    const value = super.getReferences(ast as never, false) as unknown;
    if (!isVal) return value as string;
    return javaToString(value) ?? '';
  }

  protected override getLiteral(literal: Node): string {
    if (literal.type === PRECOMPUTED) return literal.value as string;
    return super.getLiteral(literal as never);
  }

  /** An expression's value (velocityjs types it as text; it is any template value). */
  private value(node: Node): unknown {
    return this.getExpression(node) as unknown;
  }

  /** Velocity's `evaluate()`: whether a condition holds. */
  private isTrue(node: Node): boolean {
    if (LITERALS.has(node.type)) return false;
    if (node.type === 'bool') return node.value === 'true';
    if (node.type === 'math' && node.operator === 'parenthesis') return this.isTrue(node.expression![0]!);
    const value = this.value(node);
    // Arithmetic is no condition in Velocity 1.7 (its nodes evaluate to false); operators give booleans.
    if (node.type === 'math') return value === true;
    return value !== null && value !== undefined && value !== false;
  }

  /** Velocity 1.7's logical and comparison operators; arithmetic stays velocityjs's. */
  private operate(ast: Node): unknown {
    const [left, right] = ast.expression as [Node, Node];
    switch (ast.operator) {
      case 'not':
        return !this.isTrue(left);
      case '&&':
        return this.isTrue(left) && this.isTrue(right);
      case '||':
        return this.isTrue(left) || this.isTrue(right);
      case '==':
        return velocityEquals(this.value(left), this.value(right));
      case '!=':
        return !velocityEquals(this.value(left), this.value(right));
      case '<':
      case '>':
      case '<=':
      case '>=':
        return velocityCompare(ast.operator, this.value(left), this.value(right));
      default:
        return super.getExpression(ast as never);
    }
  }

  protected override getExpression(ast: Node): string {
    if (ast.type !== 'math') return super.getExpression(ast as never);
    return this.operate(ast) as string;
  }

  /** `#if` / `#elseif` / `#else` with Velocity's truthiness. */
  getBlockIf(block: Node[]): string {
    const chosen: Node[] = [];
    let taken = false;
    for (const node of block) {
      const isBranch = node.type === 'if' || node.type === 'elseif' || node.type === 'else';
      if (!isBranch) {
        if (taken) chosen.push(node);
        continue;
      }
      if (taken) break;
      taken = node.type === 'else' || this.isTrue(node.condition!);
    }
    return this.renderAstList(chosen as never, this.contextId);
  }

  /** `#set($x = null)` leaves `$x` as it was, as Velocity 1.7 does by default. */
  protected override setValue(ast: Node): void {
    const [target, source] = ast.equal!;
    const value = source.type === 'math' ? this.value(source) : (this.getLiteral(source) as unknown);
    if (value === null || value === undefined) return;
    super.setValue({ ...ast, equal: [target, { type: PRECOMPUTED, value }] } as never);
  }

  /** `$x.name` and `$x[key]` resolve as Velocity resolves them on Java objects (see `java-string.ts`). */
  getAttributes(property: Property, baseRef: unknown, ast: unknown): unknown {
    if (baseRef === null || baseRef === undefined) return undefined;
    if (property.type === 'property') return javaProperty(baseRef, property.id as string);
    if (property.type === 'index') {
      const key = property.id as Node;
      // An integer literal's value is its text in velocityjs's AST.
      const value = key.type === 'integer' ? Number(key.value) : (this.getLiteral(key) as unknown);
      return javaIndex(baseRef, value);
    }
    return (this as unknown as VelocityjsMethods).getPropMethod(property, baseRef, ast);
  }
}

const compiled = new Map<string, ApiGatewayCompile>();

function compile(template: string): ApiGatewayCompile {
  let entry = compiled.get(template);
  if (!entry) {
    // escape: false — API Gateway does not HTML-escape references.
    entry = new ApiGatewayCompile(parse(template), {
      escape: false,
      customMethodHandlers: javaMethods,
    });
    compiled.set(template, entry);
  }
  return entry;
}

export interface TemplateVariables {
  readonly input: TemplateInput;
  readonly context: TemplateContext;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/** Renders `template` with `$input`, `$util`, `$context` and `$stageVariables`. */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  return compile(template).render({
    input: variables.input,
    context: variables.context,
    util,
    stageVariables: variables.stageVariables ?? {},
  });
}
