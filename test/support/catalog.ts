// Variants of the example catalog for tests that need one setting changed, written to a
// temporary directory of their own (postmortem-language.yml is looked up beside the catalog).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CATALOG } from './harness.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary places of the YAML tree
type Tree = any;

/** The example catalog's text after `edit`, written to a temporary file; returns its path. */
export async function editedCatalog(edit: (text: string) => string): Promise<string> {
  const text = edit(await readFile(EXAMPLE_CATALOG, 'utf8'));
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'failsafe-catalog-')), 'failsafe.yml');
  await writeFile(file, text);
  return file;
}

/** The example catalog with one change to its parsed YAML, written to a temporary file; its path. */
export const catalogFile = (change: (tree: Tree) => void): Promise<string> =>
  editedCatalog((text) => {
    const tree = parse(text);
    change(tree);
    return stringify(tree);
  });
