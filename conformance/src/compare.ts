/**
 * When two renderings are "the same": both failed (API Gateway answers 500 either way), or both
 * succeeded with the same status override and the same output — compared as JSON when both outputs are
 * JSON (numbers by their exact text, so `1.0E20` and `1e20` differ as they would on the wire), and as
 * text otherwise. One output valid JSON and the other not is a difference.
 */
import { isDeepStrictEqual } from 'node:util';
import { isLosslessNumber, parse } from 'lossless-json';
import type { RenderResult } from './java-renderer.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The output as JSON with numbers kept as their text; undefined when it is not valid JSON. */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: normalize(parse(text)) };
  } catch {
    return undefined;
  }
}

function normalize(value: unknown): unknown {
  if (isLosslessNumber(value)) return { number: value.value };
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

const show = (text: string, max = 300) =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** undefined when the renderings agree; else a one-line description of how they differ. */
export function difference(java: RenderResult, emulator: RenderResult): string | undefined {
  if (!java.ok || !emulator.ok) {
    if (!java.ok && !emulator.ok) return undefined;
    return java.ok
      ? `the emulator failed (${emulator.ok ? '' : emulator.error}); Java rendered ${show(decoder.decode(java.output))}`
      : `Java failed (${java.error}); the emulator rendered ${show(decoder.decode((emulator as { output: Buffer }).output))}`;
  }
  if (java.status !== emulator.status) {
    return `status override: Java ${java.status ?? 'none'}, emulator ${emulator.status ?? 'none'}`;
  }
  const javaText = decoder.decode(java.output);
  const emulatorText = decoder.decode(emulator.output);
  const javaJson = parseJson(javaText);
  const emulatorJson = parseJson(emulatorText);
  if (javaJson && emulatorJson) {
    return isDeepStrictEqual(javaJson.value, emulatorJson.value)
      ? undefined
      : `different JSON: Java ${show(javaText)}, emulator ${show(emulatorText)}`;
  }
  if (javaJson || emulatorJson) {
    return `only ${javaJson ? 'Java' : 'the emulator'} rendered valid JSON: Java ${show(javaText)}, emulator ${show(emulatorText)}`;
  }
  return javaText === emulatorText
    ? undefined
    : `different text (neither is JSON): Java ${show(javaText)}, emulator ${show(emulatorText)}`;
}

/** Whether a successful rendering is valid JSON (what Kinesis needs). */
export function isJsonOutput(result: RenderResult): boolean {
  return result.ok && parseJson(decoder.decode(result.output)) !== undefined;
}
