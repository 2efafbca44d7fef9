// The shape of one Slack Web API call, shared by the client and its method groups
// (channels, files) so they need not import each other.
import type { z } from 'zod';

export type Args = Record<
  string,
  string | number | boolean | readonly unknown[] | Record<string, unknown> | undefined
>;
export type Encoding = 'json' | 'form';
export type SlackCall = <T>(
  method: string,
  args: Args,
  schema: z.ZodType<T>,
  encoding: Encoding,
) => Promise<T>;
