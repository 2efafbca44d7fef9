// Jobs whose stored payload no longer parses. One row per pg-boss job id, so a re-delivered
// job that fails the same way is recorded once.
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { DeadLetter } from '../jobs/types.ts';

export async function recordDeadLetter(db: Db, letter: DeadLetter): Promise<void> {
  await db.deadLetter.upsert({
    where: { jobId: letter.jobId },
    create: {
      jobId: letter.jobId,
      queue: letter.queue,
      key: letter.key,
      attempt: letter.attempt,
      data: letter.data == null ? Prisma.DbNull : (letter.data as Prisma.InputJsonValue),
      error: letter.error.slice(0, 2_000),
    },
    update: {},
  });
}

export function listDeadLetters(db: Db, take = 100) {
  return db.deadLetter.findMany({ orderBy: { recordedAt: 'desc' }, take });
}
