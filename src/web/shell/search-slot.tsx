/**
 * The global search box's place in the header. The students/devices helper replaces this component with
 * the search (students and devices by name, id, email, asset tag or serial; scanner input included); the
 * shell renders whatever this file exports as SearchSlot, so nothing else changes.
 */
export function SearchSlot() {
  return (
    <form role="search" className="search" aria-label="Search students and devices" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="global-search" className="visually-hidden">
        Search students and devices
      </label>
      <input id="global-search" type="search" placeholder="Search (coming soon)" disabled />
    </form>
  );
}
