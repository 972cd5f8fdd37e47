/**
 * Renders API Gateway mapping templates with velocityjs. Templates are parsed once and cached: the
 * contract has a handful, and parsing costs more than rendering.
 */
import { Compile, parse } from 'velocityjs';
import type { TemplateContext } from './context.ts';
import type { TemplateInput } from './input.ts';
import { util } from './util.ts';

type Ast = ReturnType<typeof parse>;

/** Bound on cached string literals; the contract's templates have a few. */
const MAX_CACHED_STRINGS = 10_000;
const parsedStrings = new Map<string, Ast>();

/**
 * velocityjs parses every double-quoted string literal that contains `$` or `#` each time it is
 * evaluated. The PutRecords template evaluates `"$.records[$foreach.index].data"` and its siblings once
 * per record, so that parse dominated the cost of rendering a 500-record batch; the parsed form of a
 * literal never changes, so it is cached.
 */
class CachingCompile extends Compile {
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

  protected override evalStr(str: string): string {
    let asts = parsedStrings.get(str);
    if (!asts) {
      asts = parse(str);
      if (parsedStrings.size >= MAX_CACHED_STRINGS) parsedStrings.clear();
      parsedStrings.set(str, asts);
    }
    return this.renderAstList(asts, this.contextId);
  }
}

const compiled = new Map<string, Compile>();

function compile(template: string): Compile {
  let entry = compiled.get(template);
  if (!entry) {
    // escape: false — API Gateway does not HTML-escape references.
    entry = new CachingCompile(parse(template), { escape: false });
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
