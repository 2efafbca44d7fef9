// JSON payloads the tests post or parse: test/fixtures holds ones written for the tests from
// vendors' docs, test/contracts the published specs and real captures (Alertmanager's).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TEST_DIR = path.resolve(import.meta.dirname, '..');

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** A JSON file under test/fixtures, e.g. `grafana/firing.json`. */
export const fixture = (name: string) => readJson(path.join(TEST_DIR, 'fixtures', name));

/** A JSON file under test/contracts, e.g. `alertmanager/firing-two-alerts.json`. */
export const contract = (name: string) => readJson(path.join(TEST_DIR, 'contracts', name));
