/** Shortest window the rate of others' commits is measured over: PostgreSQL publishes its counters about once a second. */
const WINDOW_MS = 1000;

/**
 * How many batches an import may apply at once: IMPORT_APPLY_CONCURRENCY while the database is
 * otherwise quiet, one while other work commits more than IMPORT_YIELD_COMMITS_PER_SECOND transactions
 * a second (the API serving a station or a console), so a large import leaves them a core instead of
 * taking every one. `commits` reads the database's commit and rollback count (pg_stat_database);
 * the import's own transactions, its batches and these reads, are told apart by counting them.
 */
export class ImportPace {
  private last: { at: number; commits: number } | null = null;
  private own = 0;
  private busy = false;

  constructor(
    private readonly concurrency: number,
    /** 0: never yield. */
    private readonly yieldAbove: number,
    private readonly commits: () => Promise<number>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** One of the import's own transactions committed (or rolled back). */
  ownTransaction(): void {
    this.own += 1;
  }

  /** The batches that may be in flight now. */
  async limit(): Promise<number> {
    if (this.concurrency === 1 || this.yieldAbove === 0) return this.concurrency;
    const at = this.now();
    if (this.last && at - this.last.at < WINDOW_MS) return this.busy ? 1 : this.concurrency;
    const commits = await this.commits();
    if (this.last) {
      const others = commits - this.last.commits - this.own;
      this.busy = (others * 1000) / (at - this.last.at) > this.yieldAbove;
    }
    this.last = { at, commits };
    // This read is a transaction of the import's too.
    this.own = 1;
    return this.busy ? 1 : this.concurrency;
  }
}
