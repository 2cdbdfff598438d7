/** A node of a plan as `EXPLAIN (FORMAT JSON)` gives it: the fields the tests read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  /** With EXPLAIN ANALYZE: how many times the node ran (0: never). */
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root first. */
export function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}
