// The import rules ARCHITECTURE.md promises, kept true by `npm run lint` (and so by CI).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle means a type or a function lives in the wrong file.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycles',
      severity: 'error',
      comment: 'Type-only cycles too: they are the same mistake, just erased at run time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'capability-internals-are-private',
      severity: 'error',
      comment:
        "Outside a capability's folder, import only its index.ts (its public API). $1 is the capability.",
      from: { path: '^src/', pathNot: '^src/capabilities/([^/]+)/' },
      to: { path: '^src/capabilities/([^/]+)/.+', pathNot: '^src/capabilities/[^/]+/index\\.ts$' },
    },
    {
      name: 'capability-internals-are-private-between-capabilities',
      severity: 'error',
      comment: "One capability imports another only through that one's index.ts.",
      from: { path: '^src/capabilities/([^/]+)/' },
      to: {
        path: '^src/capabilities/([^/]+)/.+',
        pathNot: ['^src/capabilities/$1/', '^src/capabilities/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'sandbox-only-from-main',
      severity: 'error',
      comment: 'The sandbox (fakes on loopback) must never be reachable from a production code path.',
      from: { path: '^src/', pathNot: ['^src/main\\.ts$', '^src/sandbox/'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'adapters-import-no-capability',
      severity: 'error',
      comment: 'Adapters are thin clients: they know the upstream, not what Failsafe does with it.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(capabilities|kernel|store|sandbox|web)/' },
    },
    {
      name: 'kernel-and-store-import-no-capability',
      severity: 'error',
      comment: 'The kernel and the store are shared by capabilities, so they cannot depend on one.',
      from: { path: '^src/(kernel|store|jobs|db|config|http|observability)/' },
      to: { path: '^src/capabilities/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
