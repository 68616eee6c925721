import type { z } from 'zod';

/**
 * Parses `value` with a zod schema; on failure throws one Error whose message names the
 * first offending field ("Invalid run config at model.nHeads: …"), the form every
 * import, config and IPC payload error takes.
 */
export function parseWith<T>(schema: z.ZodType<T>, what: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : '(root)';
    throw new Error(`Invalid ${what} at ${where}: ${issue?.message ?? 'unknown error'}`);
  }
  return result.data;
}
