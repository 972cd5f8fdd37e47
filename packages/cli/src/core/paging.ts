/**
 * Paging as `aws` has it, for the commands whose API call pages (list-streams, describe-stream):
 * `--page-size` items per request, `--max-items` in all, and `--starting-token` to go on where an
 * earlier run stopped, from the `NextToken` it printed.
 *
 * A token is the API's own paging parameter and value (`{"ExclusiveStartStreamName": "orders"}`), as
 * base64 JSON like botocore's tokens: the name of the last item printed is where the next request starts.
 */
import { UsageError } from './errors.ts';

export const PAGING_OPTIONS = {
  'max-items': {
    type: 'number',
    describe: 'Print at most this many items in all; a NextToken says where the rest start',
    requiresArg: true,
  },
  'starting-token': {
    type: 'string',
    describe: 'Go on from the NextToken an earlier run printed',
    requiresArg: true,
  },
  'page-size': {
    type: 'number',
    describe: 'Items per API request (1-10000; the API default is 100); all pages are read either way',
    requiresArg: true,
  },
} as const;

export interface PagingArgs {
  maxItems?: number | undefined;
  startingToken?: string | undefined;
  pageSize?: number | undefined;
}

/** Checks the paging flags; returns where to start (the token's value), if a token was given. */
export function startOf(args: PagingArgs, param: string): string | undefined {
  for (const [flag, value] of [
    ['--max-items', args.maxItems],
    ['--page-size', args.pageSize],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new UsageError(
        `${flag} must be a whole number of 1 or more${Number.isNaN(value) ? '' : `, got ${value}`}.`,
      );
    }
  }
  return args.startingToken === undefined ? undefined : decodeToken(args.startingToken, param);
}

export function encodeToken(param: string, value: string): string {
  return Buffer.from(JSON.stringify({ [param]: value })).toString('base64');
}

function decodeToken(token: string, param: string): string {
  let value: unknown;
  try {
    value = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>)[param];
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(
      `--starting-token "${token}" is not a NextToken of this command.`,
      'Pass the NextToken printed by the same command (with --max-items).',
    );
  }
  return value;
}

export interface Collected<Page, Item> {
  first: Page;
  items: Item[];
  /** Every page read, in order. */
  pages: Page[];
  /** More items remain after the last one collected. */
  more: boolean;
}

/**
 * Reads pages until `maxItems` items are collected or the last page is read. `hasMore` says whether
 * the API has pages after `page`.
 */
export async function collect<Page, Item>(
  pages: AsyncIterable<Page>,
  itemsOf: (page: Page) => readonly Item[],
  hasMore: (page: Page) => boolean,
  maxItems: number | undefined,
): Promise<Collected<Page, Item>> {
  const items: Item[] = [];
  const read: Page[] = [];
  for await (const page of pages) {
    read.push(page);
    const pageItems = itemsOf(page);
    const room = maxItems === undefined ? pageItems.length : maxItems - items.length;
    items.push(...pageItems.slice(0, room));
    const cut = pageItems.length > room;
    if (cut || (maxItems !== undefined && items.length >= maxItems)) {
      return { first: read[0]!, items, pages: read, more: cut || hasMore(page) };
    }
  }
  if (read.length === 0) throw new Error('a paged call returned no page');
  return { first: read[0]!, items, pages: read, more: false };
}
