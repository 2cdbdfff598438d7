/** One page of a remote list: its items, the cursor of the next page (null: this was the last) and its newest mark. */
export interface Page {
  items: unknown[];
  next: string | null;
  /** The newest point in time the page holds (a login's time), to start the next run from. */
  newest?: string | null;
}

/**
 * A remote list read page by page. `params` are fixed when the run starts (the query, the version),
 * so a run resumed after a restart pages through the same list with its saved cursor.
 */
export interface StreamSource {
  /** The query of a new run of this stream. */
  start(signal?: AbortSignal): Promise<Record<string, string>>;
  page(params: Record<string, string>, cursor: string | null, signal?: AbortSignal): Promise<Page>;
}
