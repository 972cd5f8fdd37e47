/**
 * The result of a paged method: `await` it for the first page, or `for await` over every item of
 * every page. Nothing is sent until it is awaited or iterated; the first page is fetched once and
 * shared by both uses. It is a `Promise` of the first page to the type system too (`then`, `catch`,
 * `finally` and `Symbol.toStringTag`), so it can be passed wherever a `Promise<Page>` is expected.
 */
export class PagePromise<Page, Item> implements Promise<Page>, AsyncIterable<Item> {
  readonly [Symbol.toStringTag] = 'PagePromise';
  readonly #fetchFirst: () => Promise<Page>;
  readonly #next: (page: Page) => (() => Promise<Page>) | undefined;
  readonly #items: (page: Page) => readonly Item[];
  #first: Promise<Page> | undefined;

  /**
   * @param fetchFirst fetches the first page
   * @param next the fetch of the page after `page`, or undefined when `page` is the last
   * @param items the items of a page
   */
  constructor(
    fetchFirst: () => Promise<Page>,
    next: (page: Page) => (() => Promise<Page>) | undefined,
    items: (page: Page) => readonly Item[],
  ) {
    this.#fetchFirst = fetchFirst;
    this.#next = next;
    this.#items = items;
  }

  #firstPage(): Promise<Page> {
    this.#first ??= this.#fetchFirst();
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is meant to be awaited.
  then<R1 = Page, R2 = never>(
    onfulfilled?: ((page: Page) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page | R> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<Page> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every page, the first one included. */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    let page = await this.#firstPage();
    for (;;) {
      yield page;
      const fetchNext = this.#next(page);
      if (!fetchNext) return;
      page = await fetchNext();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* this.#items(page);
  }
}
