import { Link } from '../router';

export function NotFoundPage({ forbidden }: { forbidden: boolean }) {
  return (
    <>
      <h1>{forbidden ? 'Not available to your role' : 'Page not found'}</h1>
      <p>
        {forbidden
          ? 'Your role does not include this page. Ask your district administrator if you need it.'
          : 'There is no page at this address.'}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </>
  );
}
