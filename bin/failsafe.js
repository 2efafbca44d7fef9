#!/usr/bin/env node
// `npx failsafe doctor`: the package's command-line door. It loads tsx (a dependency, as for
// `npm start`) so the TypeScript sources run as they are, then hands over to the command.
import { register } from 'tsx/esm/api';

const COMMANDS = { doctor: '../src/doctor/main.ts' };
const [command] = process.argv.slice(2);
const entry = COMMANDS[command];
if (!entry) {
  process.stderr.write(
    `usage: failsafe doctor\n  doctor  check the configuration in the environment (read-only)\n`,
  );
  process.exit(2);
}
register();
await import(new URL(entry, import.meta.url).href);
