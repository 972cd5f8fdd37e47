/**
 * The write guarantee under injected faults, end to end: every record handed to a bulk write is stored
 * in the stream or reported failed (`onFailure`, `--failed-out`), nothing else is stored, nothing claims
 * success that was not acknowledged, and every duplicate is one the fault proxy forwarded without the
 * answer reaching the client. Through `bulkPut` and through the built `kproxy put-records`, at 20 %
 * faults of every kind, under a stress of resets and timeouts, and on SIGINT/SIGTERM with stdin open;
 * plainly and packed into KPL aggregated records (an aggregate that fails fails all its records).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../fault-proxy/index.ts';
import { type Emulator, startEmulator } from './harness.ts';
import {
  bulkPutScenario,
  cliScenario,
  FAULT_MIXES,
  interruptScenario,
  type Outcome,
  type Scenario,
} from './scenarios.ts';

const { twentyPercent: TWENTY_PERCENT, stress: STRESS } = FAULT_MIXES;

/** Slow answers come well after the client gave up, so the proxy always sees the hang-up first. */
const timing = { timeoutMs: 2_000, slowResponseMs: 3_500 };

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'kproxy-writes-'));
beforeAll(async () => {
  emulator = await startEmulator();
}, 60_000);
afterAll(() => emulator?.stop());

/** The guarantee, whatever the run's fate. */
function expectNothingLost({ audit, reported }: Outcome) {
  const detail = JSON.stringify(audit.examples);
  expect(audit.lost, `records neither stored nor reported failed: ${detail}`).toBe(0);
  expect(audit.phantoms, detail).toBe(0);
  expect(audit.failedTwice, detail).toBe(0);
  expect(audit.explained, `duplicates without an unanswered forward: ${detail}`).toBe(audit.duplicates);
  // The writer counted at least as many possible duplicates as there are.
  expect(reported.possibleDuplicates).toBeGreaterThanOrEqual(audit.duplicatedRecords);
  // Nothing claims success that was not stored.
  expect(reported.succeeded).toBeLessThanOrEqual(audit.written);
}

/** A complete run: each record counted once, as written or failed. */
function expectComplete(outcome: Outcome) {
  expect(outcome.reported.stoppedBy).toBeUndefined();
  expect(outcome.reported.succeeded + outcome.reported.failed).toBe(outcome.audit.input);
  for (const kind of FAULT_KINDS) expect(outcome.counters.faults[kind], kind).toBeGreaterThan(0);
}

const scenario = (name: string, records: number, rates: Scenario['rates'], seed: number): Scenario => ({
  name,
  records,
  rates,
  seed,
  ...timing,
});

describe('bulk writes at 20 % injected faults lose nothing', () => {
  it('bulkPut of 50,000 records', async () => {
    const outcome = await bulkPutScenario(emulator, scenario('bulkput', 50_000, TWENTY_PERCENT, 1));
    expectNothingLost(outcome);
    expectComplete(outcome);
  }, 180_000);

  it('kproxy put-records of 50,000 lines, with --failed-out', async () => {
    const outcome = await cliScenario(emulator, scenario('cli', 50_000, TWENTY_PERCENT, 2), dir);
    expectNothingLost(outcome);
    expectComplete(outcome);
    expect([0, 3]).toContain(outcome.exitCode);
  }, 180_000);

  it('kproxy put-records under 55 % resets and timeouts: the stream and --failed-out cover the input', async () => {
    const outcome = await cliScenario(emulator, scenario('stress', 10_000, STRESS, 3), dir);
    expectNothingLost(outcome);
    expect(outcome.audit.written + outcome.audit.failed).toBeGreaterThanOrEqual(10_000);
    expect(outcome.counters.faults.resetAfterForward).toBeGreaterThan(0);
    expect(outcome.counters.faults.slowResponse).toBeGreaterThan(0);
  }, 180_000);
});

/**
 * Aggregated: records of 1,000 bytes, so that they fill aggregated records of 25 KB (24 records each),
 * four to a request: 20,000 records make some 200 requests for the faults to hit.
 */
const aggregated = (name: string, records: number, rates: Scenario['rates'], seed: number): Scenario => ({
  ...scenario(name, records, rates, seed),
  aggregate: true,
  dataBytes: 1_000,
  batchSize: 4,
});

describe('aggregated bulk writes at 20 % injected faults lose nothing', () => {
  it('kproxy put-records --aggregate of 20,000 lines of 1,000 bytes, with --failed-out', async () => {
    const outcome = await cliScenario(emulator, aggregated('cliagg', 20_000, TWENTY_PERCENT, 6), dir);
    expectNothingLost(outcome);
    expectComplete(outcome);
    expect([0, 3]).toContain(outcome.exitCode);
  }, 180_000);

  it('bulkPut({ aggregate: true }) under 55 % resets and timeouts: the stream and the failures cover the input', async () => {
    const outcome = await bulkPutScenario(emulator, aggregated('bpagg', 3_000, STRESS, 7));
    expectNothingLost(outcome);
    expect(outcome.audit.written + outcome.audit.failed).toBeGreaterThanOrEqual(3_000);
    expect(outcome.counters.faults.resetAfterForward).toBeGreaterThan(0);
  }, 180_000);

  it('put-records --aggregate, SIGINT with stdin open: exits within 2 s, 130, fed = stored ∪ --failed-out', async () => {
    const outcome = await interruptScenario(
      emulator,
      aggregated('intagg', 5_000, TWENTY_PERCENT, 8),
      dir,
      'SIGINT',
    );
    expect(outcome.exitCode).toBe(130);
    expect(outcome.exitMs).toBeLessThan(2_000);
    expectNothingLost(outcome);
    expect(outcome.reported.stoppedBy).toBe('abort');
    expect(outcome.reported.succeeded + outcome.reported.failed).toBe(outcome.fed);
  }, 120_000);
});

describe('put-records interrupted with its stdin pipe still open', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: exits within 2 s, 130, fed = stored ∪ --failed-out',
    async (signal) => {
      const outcome = await interruptScenario(
        emulator,
        scenario(`int${signal}`, 20_000, TWENTY_PERCENT, 4),
        dir,
        signal,
      );
      expect(outcome.exitCode).toBe(130);
      expect(outcome.exitMs).toBeLessThan(2_000);
      expectNothingLost(outcome);
      expect(outcome.reported.stoppedBy).toBe('abort');
      expect(outcome.reported.succeeded + outcome.reported.failed).toBe(outcome.fed);
    },
    120_000,
  );

  it('a second SIGINT exits at once and still leaves --failed-out complete', async () => {
    const outcome = await interruptScenario(
      emulator,
      scenario('twice', 20_000, TWENTY_PERCENT, 5),
      dir,
      'SIGINT',
      true,
    );
    expect(outcome.exitCode).toBe(130);
    expect(outcome.exitMs).toBeLessThan(2_000);
    expectNothingLost(outcome);
  }, 120_000);
});
