/**
 * Which text does API Gateway alter before Kinesis stores it? Found with the Java stack itself, not
 * assumed: every UTF-16 code unit goes through the PutRecords template, as record data and as a
 * partition key, in JSON strings with an escape and in strings without (json-smart reads the two kinds
 * differently), plus unpaired surrogates. Then the client is held to the answer, text by text: it sends
 * data as base64 exactly when Java would alter it as text, refuses exactly the partition keys Java
 * would alter (and unpaired surrogates) with an InputError, and sends everything else as text.
 */
import { InputError, KproxyClient } from '@kproxy/client';
import { REQUEST_TEMPLATES } from '@kproxy/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseContext, flattenContext } from '../src/emulator-renderer.ts';
import { javaClasspathOrSkip } from '../src/java-guard.ts';
import { type RenderRequest, renderWithJava } from '../src/java-renderer.ts';

const classpath = javaClasspathOrSkip('TEXT API GATEWAY ALTERS (AND THE CLIENT AVOIDS)');

/** Every BMP code unit but the surrogates, which are checked as unpaired and paired apart. */
const UNITS = Array.from({ length: 0x10000 }, (_, i) => i).filter((u) => u < 0xd800 || u > 0xdfff);
/** JSON.stringify escapes these, so a string holding one is read escape by escape. */
const isEscaped = (u: number) => u < 0x20 || u === 0x22 || u === 0x5c;
const UNPAIRED = ['a\ud800b', '\udfff', '\udf89\ud83c', '\ud83c', 'x\ud800\n', '"\udc00'];
/** Units per text: 128 units with a `"` each, or 256 alone, keep every text a valid partition key. */
const CHUNK = 128;

const hex = (text: string) =>
  [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

/** Texts of `size` units each, every unit followed by `suffix`; with the units of each. */
function chunks(units: readonly number[], size: number, suffix: string): { text: string; units: number[] }[] {
  const out: { text: string; units: number[] }[] = [];
  for (let i = 0; i < units.length; i += size) {
    const part = units.slice(i, i + size);
    out.push({ text: part.map((u) => `${String.fromCharCode(u)}${suffix}`).join(''), units: part });
  }
  return out;
}

function putRecordsRequest(id: string, texts: readonly string[]): RenderRequest {
  return {
    id,
    template: REQUEST_TEMPLATES.putRecords,
    body: JSON.stringify({ records: texts.map((t) => ({ data: t, 'partition-key': t })) }),
    path: { 'stream-name': 's' },
    querystring: {},
    header: {},
    context: flattenContext(caseContext('PUT', '/streams/{stream-name}/records')),
  };
}

interface Verdict {
  readonly text: string;
  /** Kinesis would store other bytes than the text's UTF-8 as record data. */
  readonly dataAltered: boolean;
  /** Kinesis would get another partition key. */
  readonly keyAltered: boolean;
}

/** What the Java stack does to each text, as data and as a key (one JVM). */
async function javaVerdicts(cp: string, texts: readonly string[]): Promise<Verdict[]> {
  const result = (await renderWithJava(cp, [putRecordsRequest('texts', texts)])).get('texts')!;
  if (!result.ok) throw new Error(result.error);
  const rendered = JSON.parse(result.output.toString('utf8')) as {
    Records: { Data: string; PartitionKey: string }[];
  };
  return texts.map((text, i) => ({
    text,
    dataAltered: !Buffer.from(rendered.Records[i]!.Data, 'base64').equals(Buffer.from(text)),
    keyAltered: rendered.Records[i]!.PartitionKey !== text,
  }));
}

function capturingClient() {
  const bodies: string[] = [];
  const client = new KproxyClient({
    endpoint: 'http://kproxy.test/v1',
    maxRetries: 0,
    fetch: async (input, init) => {
      bodies.push(await new Request(input, init).text());
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  return { client, bodies };
}

if (classpath) {
  let verdicts: Verdict[];
  /** The single units behind every altered chunk. */
  let singles: Verdict[];

  beforeAll(async () => {
    const escaped = chunks(UNITS, CHUNK, '"');
    const plain = chunks(
      UNITS.filter((u) => !isEscaped(u)),
      2 * CHUNK,
      '',
    );
    verdicts = await javaVerdicts(classpath, [...escaped, ...plain].map((c) => c.text).concat(UNPAIRED));
    // Then unit by unit, for the chunks Java altered.
    const altered = (c: { text: string }) =>
      verdicts.some((v) => v.text === c.text && (v.dataAltered || v.keyAltered));
    const suspects = [
      ...escaped.filter(altered).flatMap((c) => chunks(c.units, 1, '"')),
      ...plain.filter(altered).flatMap((c) => chunks(c.units, 1, '')),
    ];
    singles = await javaVerdicts(
      classpath,
      suspects.map((c) => c.text),
    );
    verdicts.push(...singles);
  });

  describe('text API Gateway alters, found with Apache Velocity 1.7, Jayway JsonPath and json-smart', () => {
    it('is DEL in a JSON string that has an escape, and any unpaired surrogate; nothing else', () => {
      expect(singles.filter((v) => v.dataAltered).map((v) => hex(v.text))).toEqual(['U+007F U+0022']);
      expect(singles.filter((v) => v.keyAltered).map((v) => hex(v.text))).toEqual(['U+007F U+0022']);
      const unpaired = verdicts.filter((v) => UNPAIRED.includes(v.text));
      expect(unpaired.every((v) => v.dataAltered && v.keyAltered)).toBe(true);
      // Of the strings without an escape, none is altered.
      expect(
        verdicts.filter((v) => !/["\\\n]/.test(v.text) && !UNPAIRED.includes(v.text) && v.dataAltered),
      ).toEqual([]);
    });

    it('the client sends data as base64 exactly when Java would alter the text, and the bytes arrive exact', async () => {
      const { client, bodies } = capturingClient();
      const texts = verdicts.filter((v) => !UNPAIRED.includes(v.text));
      for (let i = 0; i < texts.length; i += 500) {
        const records = texts.slice(i, i + 500).map((v) => ({ data: v.text, partitionKey: 'k' }));
        await client.putRecords({ streamName: 's', records }).catch(() => {});
      }
      const sent = bodies.flatMap(
        (b) => (JSON.parse(b) as { records: { data: string; encoding?: string }[] }).records,
      );
      expect(sent.map((r) => r.encoding === 'base64')).toEqual(texts.map((v) => v.dataAltered));
      const meant = texts.map((v) => v.text);
      expect(sent.map((r) => (r.encoding ? Buffer.from(r.data, 'base64').toString('utf8') : r.data))).toEqual(
        meant,
      );

      // Through Java, what the client sent is stored as the caller's bytes, every record.
      const results = await renderWithJava(
        classpath,
        bodies.map((body, i) => ({ ...putRecordsRequest(`client ${i}`, []), body })),
      );
      const stored = bodies.flatMap((_, i) => {
        const result = results.get(`client ${i}`)!;
        if (!result.ok) throw new Error(result.error);
        return (JSON.parse(result.output.toString('utf8')) as { Records: { Data: string }[] }).Records;
      });
      expect(stored.map((r) => Buffer.from(r.Data, 'base64').toString('utf8'))).toEqual(meant);
    });

    it('the client refuses exactly the partition keys Java would alter, and unpaired surrogates, with an InputError', async () => {
      const { client, bodies } = capturingClient();
      const refused: string[] = [];
      for (const { text } of verdicts) {
        const error = await client
          .putRecord({ streamName: 's', data: 'd', partitionKey: text })
          .catch((e: unknown) => e);
        if (error instanceof InputError) {
          expect(error.message, hex(text)).toMatch(/^partitionKey contains .+\. .+/);
          refused.push(text);
        }
      }
      expect(refused).toEqual(verdicts.filter((v) => v.keyAltered).map((v) => v.text));
      expect(bodies).toHaveLength(verdicts.length - refused.length);
    });

    it('the client refuses data with an unpaired surrogate (not text: no bytes are meant)', async () => {
      const { client, bodies } = capturingClient();
      for (const data of UNPAIRED) {
        const error = await client
          .putRecord({ streamName: 's', data, partitionKey: 'k' })
          .catch((e: unknown) => e);
        expect(error, hex(data)).toBeInstanceOf(InputError);
        expect((error as InputError).message).toMatch(
          /^data contains an unpaired UTF-16 surrogate at index \d+.+\. Pass the bytes you mean as a Uint8Array/,
        );
      }
      expect(bodies).toEqual([]);
    });
  });
}
