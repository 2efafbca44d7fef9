#!/usr/bin/env node
// `npx failsafe doctor`: the package's command-line door. Node runs the TypeScript sources as
// they are (type stripping, Node 22.18 and later; the code uses only erasable syntax, which
// tsconfig's erasableSyntaxOnly enforces), so this only picks the command.
const COMMANDS = { doctor: '../src/doctor/main.ts' };
const [command] = process.argv.slice(2);
const entry = COMMANDS[command];
if (!entry) {
  process.stderr.write(
    `usage: failsafe doctor\n  doctor  check the configuration in the environment (read-only)\n`,
  );
  process.exit(2);
}
await import(new URL(entry, import.meta.url).href);
