import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { Link } from '../router';
import { Field, FilterSelect } from '../ui/action-dialog';
import { formValue, label, pick, queryString, when } from '../ui/format';
import { Pager, useCursors } from '../ui/pager';
import { outcome, ProblemMessage } from '../ui/problem';
import { useSchools } from '../ui/schools';
import { useLoad } from '../ui/use-load';
import './records.css';

const PAGE_SIZE = 50;
const LEARNING_MODELS = ['in_person', 'hybrid', 'remote'] as const;
const ENROLLMENT = ['active', 'withdrawn'] as const;

interface Filters {
  q?: string;
  schoolId?: string;
  grade?: string;
  learningModel?: (typeof LEARNING_MODELS)[number];
  enrollmentStatus?: (typeof ENROLLMENT)[number];
}

/** /students — the district's students with the API's filters, 50 at a time, and the whole filtered list as CSV. */
export function StudentListPage() {
  const schools = useSchools();
  const [filters, setFilters] = useState<Filters>({});
  const pages = useCursors();
  const loaded = useLoad(
    () => outcome(api.GET('/api/v1/students', { params: { query: { ...filters, limit: PAGE_SIZE, cursor: pages.cursor } } })),
    [filters, pages.cursor],
  );

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formValue(form, name);
    setFilters({
      q: text('q'),
      schoolId: text('schoolId'),
      grade: text('grade'),
      learningModel: pick(LEARNING_MODELS, text('learningModel')),
      enrollmentStatus: pick(ENROLLMENT, text('enrollmentStatus')),
    });
    pages.reset();
  };

  return (
    <>
      <h1>Students</h1>
      <form className="filters" aria-label="Filter students" onSubmit={apply}>
        <Field label="Name, number or email">{(id) => <input id={id} name="q" type="search" maxLength={100} />}</Field>
        <FilterSelect
          label="School"
          name="schoolId"
          any="All schools"
          choices={[...schools.values()].map((school) => [school.id, school.name])}
        />
        <Field label="Grade">{(id) => <input id={id} name="grade" maxLength={20} size={4} />}</Field>
        <FilterSelect
          label="Learning model"
          name="learningModel"
          any="Any"
          choices={LEARNING_MODELS.map((value) => [value, label(value)])}
        />
        <FilterSelect label="Enrollment" name="enrollmentStatus" any="Any" choices={ENROLLMENT.map((value) => [value, label(value)])} />
        <button type="submit">Apply filters</button>
        <a className="download" href={`/api/v1/students?${queryString({ ...filters, format: 'csv' })}`} download="students.csv">
          Download CSV (every match)
        </a>
      </form>
      <ProblemMessage problem={loaded.problem} />
      {loaded.data && (
        <div aria-busy={loaded.loading}>
          {loaded.data.data.length ? (
            <table>
              <caption className="visually-hidden">Students, by family name</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Student ID</th>
                  <th scope="col">Number</th>
                  <th scope="col">Grade</th>
                  <th scope="col">School</th>
                  <th scope="col">Learning model</th>
                  <th scope="col">Enrollment</th>
                  <th scope="col">Last login</th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.data.map((student) => (
                  <tr key={student.id}>
                    <td>
                      <Link to={`/students/${student.id}`}>
                        {student.familyName}, {student.givenName}
                      </Link>
                    </td>
                    <td>{student.sourcedId}</td>
                    <td>{student.identifier ?? '—'}</td>
                    <td>{student.grade ?? '—'}</td>
                    <td>{schools.get(student.schoolId)?.name ?? '—'}</td>
                    <td>{label(student.learningModel)}</td>
                    <td>{label(student.enrollmentStatus)}</td>
                    <td>{when(student.lastLoginAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No students match.</p>
          )}
          <Pager label="Students" page={pages.page} nextCursor={loaded.data.nextCursor} onNext={pages.next} onPrevious={pages.previous} />
        </div>
      )}
    </>
  );
}
