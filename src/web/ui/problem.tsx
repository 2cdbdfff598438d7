import { asProblem, type Problem } from '../api/client';

/** What an openapi-fetch call answered: its data, or the problem in words. */
export type Outcome<T> = { data: T; problem?: undefined } | { data?: undefined; problem: Problem };

/** Turns an openapi-fetch result into data or a problem document (a network failure is one too). */
export async function outcome<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Outcome<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok && data !== undefined) return { data };
    return { problem: asProblem(error, response) };
  } catch {
    return { problem: { status: 0, code: 'network_error', detail: 'Reconnect could not be reached. Check the connection and try again.' } };
  }
}

/** The problem as a sentence: the API's own wording (its detail), then each field it names. */
export function describeProblem(problem: Problem): string {
  const fields = (problem.errors ?? [])
    .filter((error) => error.field && error.message && !(problem.detail ?? '').includes(error.message))
    .map((error) => `${error.field}: ${error.message}`);
  return [problem.detail ?? problem.title ?? `The service refused this (${problem.code}).`, ...fields].join(' ');
}

/** A refusal shown where the person is working, read out at once by screen readers. */
export function ProblemMessage({ problem }: { problem: Problem | null | undefined }) {
  if (!problem) return null;
  return (
    <p className="problem" role="alert">
      {describeProblem(problem)}
    </p>
  );
}
