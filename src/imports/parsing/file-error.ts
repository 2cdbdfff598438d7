/** A row-level problem: the row is skipped and reported, the others go in. */
export interface RowError {
  /** The member of a zip the row is in (users.csv), when the import has several. */
  part?: string | null;
  line: number;
  field: string | null;
  message: string;
}

/**
 * The file cannot be imported as a whole (wrong headers, not a zip, broken JSON): the import fails
 * for good, with these errors, and is not retried.
 */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly errors: RowError[] = [],
  ) {
    super(message);
  }
}
