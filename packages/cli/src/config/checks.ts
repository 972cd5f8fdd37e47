/**
 * Checks of connection settings, each returning why a value is not acceptable (or undefined): used by
 * `kproxy configure` for each answer as it is typed (the question is asked again with the reason) and
 * for the values given as flags.
 */
import { AUTH_MODES } from './config-file.ts';

export function checkEndpoint(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL; give the stage URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Only http and https URLs work.';
  if (url.pathname === '/' || url.pathname === '') {
    return 'The stage URL ends with the stage, e.g. …/v1 (the first path segment of every route).';
  }
  if (url.search || url.hash) return 'The stage URL has no query or fragment.';
  return undefined;
}

/** AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`. Empty: not set. */
export function checkRegion(value: string): string | undefined {
  if (value === '' || /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value)) return undefined;
  return `"${value}" is not an AWS region name, like eu-west-1.`;
}

export function checkAuth(value: string): string | undefined {
  return (AUTH_MODES as readonly string[]).includes(value)
    ? undefined
    : `"${value}" is not an auth mode: use ${AUTH_MODES.join(', ')}.`;
}

export function checkNotEmpty(what: string): (value: string) => string | undefined {
  return (value) => (value === '' ? `Give the ${what}.` : undefined);
}

export function checkTimeout(value: number): string | undefined {
  return Number.isFinite(value) && value > 0 ? undefined : `The timeout is a number of seconds above 0.`;
}

/** AWS profile names as the shared config files take them: no spaces or brackets. Empty: not set. */
export function checkAwsProfile(value: string): string | undefined {
  return value === '' || /^[\w.@+=,-]+$/.test(value)
    ? undefined
    : `"${value}" is not a profile name of ~/.aws/config.`;
}
