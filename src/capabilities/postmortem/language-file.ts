// Teams word blame differently, so the built-in list can be extended or trimmed by a file
// beside the catalog: postmortem-language.yml, next to failsafe.yml (the same directory as
// FAILSAFE_CONFIG). Read when a draft is built, so an edit needs no restart. A missing file
// means the built-in list; a broken one is reported and the built-in list used, because a
// typo in it must not stop anyone from getting their draft.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { type BlameRule, DEFAULT_BLAME_RULES } from './blame-rules.ts';
import { escapeRegExp } from './regex.ts';

export const LANGUAGE_FILE = 'postmortem-language.yml';

const LanguageFile = z
  .object({
    /** Ids of built-in rules to switch off (see blame-rules.ts). */
    disable: z.array(z.string()).default([]),
    /** More wording to flag: whole words, any case. */
    phrases: z
      .array(
        z.object({
          phrase: z.string().trim().min(2).max(200),
          rewrite: z.string().max(200).optional(),
          advice: z.string().max(300).default('Describe what the system did, not who.'),
        }),
      )
      .default([]),
  })
  .strict();

export interface LanguageRules {
  rules: BlameRule[];
  /** Set when the file exists but could not be used; the built-in list applies. */
  problem: string | null;
}

export function applyLanguageFile(input: unknown): BlameRule[] {
  const file = LanguageFile.parse(input ?? {});
  const unknown = file.disable.filter((id) => !DEFAULT_BLAME_RULES.some((r) => r.id === id));
  if (unknown.length) throw new Error(`disable: no built-in rule ${unknown.join(', ')}`);
  const kept = DEFAULT_BLAME_RULES.filter((r) => !file.disable.includes(r.id));
  const added = file.phrases.map((p, i): BlameRule => {
    const words = p.phrase.split(/\s+/).map(escapeRegExp).join('\\s+');
    return {
      id: `custom-${i + 1}`,
      pattern: `(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`,
      advice: p.advice,
      ...(p.rewrite !== undefined ? { rewrite: p.rewrite } : {}),
    };
  });
  return [...kept, ...added];
}

export async function loadLanguageRules(catalogPath: string): Promise<LanguageRules> {
  const file = path.join(path.dirname(catalogPath), LANGUAGE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { rules: [...DEFAULT_BLAME_RULES], problem: null };
    return { rules: [...DEFAULT_BLAME_RULES], problem: `${file}: ${(error as Error).message}` };
  }
  try {
    return { rules: applyLanguageFile(parse(text)), problem: null };
  } catch (error) {
    const detail = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    return { rules: [...DEFAULT_BLAME_RULES], problem: `${file}: ${detail}` };
  }
}
