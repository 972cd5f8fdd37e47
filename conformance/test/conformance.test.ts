/**
 * Differential conformance: every contract mapping template, rendered by the emulator (velocityjs with
 * kproxy's API Gateway semantics) and by the Java stack API Gateway uses (Apache Velocity 1.7, Jayway
 * JsonPath, commons-lang), over the corpus in `src/corpus.ts`. Any difference not on the documented list
 * (`src/known-differences.ts`) fails.
 *
 * Without Java: in CI (CI=true) the suite fails; elsewhere it is skipped with a loud message, never
 * passed silently.
 */
import { REQUEST_TEMPLATES, statusForKinesisError } from '@kproxy/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { difference, isJsonOutput } from '../src/compare.ts';
import { buildCorpus, type ConformanceCase } from '../src/corpus.ts';
import { caseContext, renderWithEmulator } from '../src/emulator-renderer.ts';
import { javaClasspathOrSkip } from '../src/java-guard.ts';
import { type RenderResult, renderWithJava } from '../src/java-renderer.ts';
import { KNOWN_DIFFERENCES } from '../src/known-differences.ts';

const classpath = javaClasspathOrSkip("THE EMULATOR'S TEMPLATES AGAINST APACHE VELOCITY 1.7");

if (classpath) {
  const corpus = await buildCorpus();
  let javaResults: Map<string, RenderResult>;
  const emulatorResults = new Map<string, RenderResult>();

  beforeAll(async () => {
    javaResults = await renderWithJava(classpath, corpus);
    for (const c of corpus) {
      emulatorResults.set(c.id, renderWithEmulator(c, caseContext(c.httpMethod, c.resourcePath)));
    }
  });

  const differences = () =>
    corpus
      .map((c) => ({ c, diff: difference(javaResults.get(c.id)!, emulatorResults.get(c.id)!) }))
      .filter((d): d is { c: ConformanceCase; diff: string } => d.diff !== undefined);

  describe('the emulator renders every contract template as API Gateway does', () => {
    it('the corpus covers every template of the contract with at least 250 cases', () => {
      expect(corpus.length).toBeGreaterThanOrEqual(250);
      const names = new Set(corpus.map((c) => c.templateName));
      for (const name of [...Object.keys(REQUEST_TEMPLATES), 'integrationResponse']) {
        expect(names, name).toContain(name);
      }
    });

    it('no difference outside the documented list', () => {
      const unexplained = differences().filter(({ c }) => !KNOWN_DIFFERENCES.some((k) => k.cases.test(c.id)));
      const byTemplate = new Map<string, number>();
      for (const { c } of differences())
        byTemplate.set(c.templateName, (byTemplate.get(c.templateName) ?? 0) + 1);
      console.info(
        `conformance: ${corpus.length} cases (${corpus.filter((c) => c.id.includes(': client ')).length} sent by the client, ` +
          `${corpus.filter((c) => c.accepted).length} accepted by the request validator), ` +
          `${differences().length} differences (${unexplained.length} unexplained)` +
          (byTemplate.size ? `: ${[...byTemplate].map(([t, n]) => `${t} ${n}`).join(', ')}` : ''),
      );
      expect(
        unexplained.map(({ c, diff }) => `${c.id}: ${diff}`),
        'cases the emulator renders differently from Apache Velocity 1.7',
      ).toEqual([]);
    });

    it('every documented difference still occurs (the list is not stale)', () => {
      const found = differences();
      for (const known of KNOWN_DIFFERENCES) {
        expect(
          found.some(({ c }) => known.cases.test(c.id)),
          String(known.cases),
        ).toBe(true);
      }
    });
  });

  describe('the deployed templates themselves (both engines)', () => {
    it('every request template renders valid JSON for every request the method request accepts', () => {
      const requests = corpus.filter(
        (c) => c.templateName !== 'integrationResponse' && !c.templateName.startsWith('probe:'),
      );
      const invalid = requests
        .filter((c) => c.accepted && !isJsonOutput(javaResults.get(c.id)!))
        .map((c) => c.id);
      expect(invalid, 'request templates that render invalid JSON under Apache Velocity').toEqual([]);
      // Most of the corpus reaches the templates; the rest is there to show both engines agree anyway.
      expect(requests.filter((c) => c.accepted).length).toBeGreaterThan(requests.length / 2);
    });

    it('the integration response keeps the body and sets the status statusForKinesisError gives', () => {
      for (const c of corpus.filter((c) => c.templateName === 'integrationResponse')) {
        const result = javaResults.get(c.id)!;
        expect(result.ok, c.id).toBe(true);
        if (!result.ok || c.body.trim() === '') continue;
        const type = (JSON.parse(c.body) as { __type?: unknown }).__type;
        const backend = Number(/backend (\d+)/.exec(c.id)![1]);
        const expected = statusForKinesisError(typeof type === 'string' ? type : '', backend);
        const selected = backend >= 500 ? 500 : 400;
        expect(Number(result.status ?? selected), c.id).toBe(expected);
      }
    });
  });
}
