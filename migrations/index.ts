import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { Inventory1764000100000 } from './1764000100000-inventory.js';

/** Every migration, in order. Listed by hand so the app, the CLI and the tests load the same set. */
export const MIGRATIONS = [Foundation1764000000000, Inventory1764000100000];
