import { api, type Schemas } from '../api/client';
import { outcome } from './problem';
import { useLoad } from './use-load';

/** The schools the caller may see (a district has tens, a state a few hundred): names for ids, and a filter's choices. */
export function useSchools(): Map<string, Schemas['SchoolDto']> {
  const loaded = useLoad(() => outcome(api.GET('/api/v1/schools', { params: { query: { limit: 500 } } })), []);
  return new Map((loaded.data?.data ?? []).map((school) => [school.id, school]));
}
