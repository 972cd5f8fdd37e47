/**
 * The emulator relies on internals of two libraries: velocityjs (it overrides `Compile` methods to give
 * templates Apache Velocity 1.7's semantics, `src/vtl/render.ts`) and kinesalite (it replaces one action
 * module, `src/kinesis/kinesalite-fixes.ts`). Both are pinned exactly in the pnpm catalog; this file
 * fails loudly when an upgrade changes the version or what the emulator relies on, so that an upgrade is
 * a decision (re-check the overrides, then update the pins here and in pnpm-workspace.yaml).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Compile, parse } from 'velocityjs';
import { describe, expect, it } from 'vitest';
import { loadKinesalite } from '../src/kinesis/kinesalite-fixes.ts';
import { renderWith } from './helpers.ts';

const require = createRequire(import.meta.url);
const WORKSPACE = fileURLToPath(new URL('../../../pnpm-workspace.yaml', import.meta.url));

/** The version of an installed package whose package.json is not exported. */
function installedVersion(entry: string, name: string): string {
  let dir = dirname(require.resolve(entry));
  while (!dir.endsWith(`/${name}`)) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function catalogPin(name: string): string | undefined {
  return new RegExp(`^\\s+${name}: (.+)$`, 'm').exec(readFileSync(WORKSPACE, 'utf8'))?.[1];
}

const UPGRADE = 'an upgrade must re-check the overrides before moving this pin';

describe('velocityjs (its Compile internals are overridden)', () => {
  it('is exactly 2.1.7, pinned without a range', () => {
    expect(catalogPin('velocityjs'), UPGRADE).toBe('2.1.7');
    expect(installedVersion('velocityjs', 'velocityjs'), UPGRADE).toBe('2.1.7');
  });

  it('still has the methods the emulator overrides or calls', () => {
    const proto = Compile.prototype as unknown as Record<string, unknown>;
    for (const method of [
      'render',
      'renderAstList',
      'evalStr',
      'getReferences',
      'getLiteral',
      'getExpression',
      'getBlockIf',
      'getAttributes',
      'getPropMethod',
      'setValue',
    ]) {
      expect(typeof proto[method], `Compile.prototype.${method} (${UPGRADE})`).toBe('function');
    }
  });

  it('still parses to the AST shapes the overrides read', () => {
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (k, v) => (k === 'pos' ? undefined : v)));
    expect(strip(parse('#if($a)x#elseif(!$b && $c == "q")y#else z#end'))).toEqual([
      [
        { type: 'if', condition: { type: 'references', id: 'a', leader: '$' } },
        'x',
        {
          type: 'elseif',
          condition: {
            type: 'math',
            operator: '&&',
            expression: [
              { type: 'math', operator: 'not', expression: [{ type: 'references', id: 'b', leader: '$' }] },
              {
                type: 'math',
                operator: '==',
                expression: [
                  { type: 'references', id: 'c', leader: '$' },
                  { type: 'string', value: 'q', isEval: true },
                ],
              },
            ],
          },
        },
        'y',
        { type: 'else' },
        ' z',
      ],
    ]);
    expect(strip(parse('#set($x = $l[0])'))).toEqual([
      {
        type: 'set',
        equal: [
          { type: 'references', id: 'x', leader: '$' },
          {
            type: 'references',
            id: 'l',
            leader: '$',
            path: [{ type: 'index', id: { type: 'integer', value: '0' } }],
          },
        ],
      },
    ]);
  });

  it('still routes #if, operators, rendering, #set, properties, indexes and methods through them', () => {
    // Each line fails if velocityjs stopped calling the override that gives Velocity 1.7's answer.
    expect(renderWith('#set($e = "")#if($e)if#end#if(!$e)#else not#end')).toBe('if not');
    expect(renderWith('#set($b = true)#if($b == "true")eq#end')).toBe('eq');
    expect(renderWith('[$nothing]')).toBe('[]');
    expect(renderWith('#set($x = "kept")#set($x = $nothing)$x')).toBe('kept');
    expect(renderWith("#set($l = $input.path('$.l'))$l[-1]|$l.length|$l.empty", '{"l":[1,2]}')).toBe(
      '2||false',
    );
    expect(renderWith('#set($s = "abc")[$s.padStart(5)][$s.replaceAll("[ab]", "-")]')).toBe('[][--c]');
  });
});

describe('kinesalite (one action module is replaced)', () => {
  it('is exactly 3.3.3, pinned without a range', () => {
    expect(catalogPin('kinesalite'), UPGRADE).toBe('3.3.3');
    expect((require('kinesalite/package.json') as { version: string }).version, UPGRADE).toBe('3.3.3');
  });

  it('still has the modules and functions the AT_TIMESTAMP fix uses', () => {
    const db = require('kinesalite/db') as Record<string, unknown>;
    for (const name of ['resolveShardId', 'shardIxToHex', 'createShardIterator', 'create']) {
      expect(typeof db[name], `kinesalite/db.${name} (${UPGRADE})`).toBe('function');
    }
    const source = readFileSync(require.resolve('kinesalite/db'), 'utf8');
    expect(source, `kinesalite's store still offers getStreamDb (${UPGRADE})`).toMatch(
      /getStreamDb: getStreamDb/,
    );
    // kinesalite loads each action with require('./actions/' + name), which is what lets the fix replace it.
    expect(readFileSync(require.resolve('kinesalite'), 'utf8')).toMatch(
      /require\('\.\/actions\/' \+ action\)/,
    );
  });

  it('loads with the fix in place of its getShardIterator action', () => {
    const original = readFileSync(require.resolve('kinesalite/actions/getShardIterator'), 'utf8');
    expect(original).toMatch(/module\.exports = function getShardIterator\(store, data, cb\)/);
    loadKinesalite();
    const action = require('kinesalite/actions/getShardIterator') as { toString(): string };
    expect(action.toString()).toMatch(/AT_TIMESTAMP/);
  });
});
