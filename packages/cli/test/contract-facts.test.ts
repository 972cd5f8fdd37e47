/**
 * Facts the CLI spells out itself where importing them would load the contract at start-up (the bin
 * must not: see bundle.test.ts) agree with the contract's.
 */
import { AUTH_MODES } from '@kproxy/contract';
import { expect, it } from 'vitest';
import { AUTH_MODES as CONFIG_AUTH_MODES } from '../src/config/config-file.ts';
import { GLOBAL_OPTIONS } from '../src/core/global-options.ts';

it('--auth and the config file offer exactly the contract’s auth modes', () => {
  expect([...GLOBAL_OPTIONS.auth.choices]).toEqual([...AUTH_MODES]);
  expect([...CONFIG_AUTH_MODES]).toEqual([...AUTH_MODES]);
});
