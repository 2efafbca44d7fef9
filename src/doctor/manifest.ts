// The bot scopes the Slack app is meant to have, read from manifest.yml (the file the app is
// created from), so the doctor's list cannot drift from what the README tells people to install.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const MANIFEST = path.resolve(import.meta.dirname, '../../manifest.yml');

const Manifest = z.object({
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
});

export async function manifestBotScopes(file = MANIFEST): Promise<string[]> {
  return Manifest.parse(parse(await readFile(file, 'utf8'))).oauth_config.scopes.bot;
}
