// A modal's private_metadata comes back in a signed request, but a signed request can still
// carry a view Failsafe never opened: anything that is not our JSON in our shape reads as null,
// so the submission answers "out of date" instead of throwing.
import type { z } from 'zod';

export function readViewMetadata<S extends z.ZodType>(schema: S, raw: string | undefined): z.infer<S> | null {
  let value: unknown;
  try {
    value = JSON.parse(raw || 'null');
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
