// Import rules of the hub, checked by `npm test` (test/architecture.test.ts). Arrows point one way:
// runtimes (local/, lambda/, functions/) -> routes -> web -> http -> app, alerts -> core; adapters -> ports;
// messages (i18n) and the model are leaves every layer may use.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles make the layers meaningless.', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'The core (parse, normalise, dedup, render) does no I/O: no adapters, SDKs, sockets, files, environment or outer layers.',
      from: { path: '^shared/core/' },
      to: { path: ['^shared/(adapters|app|alerts|http|web|net)/', '^(local|lambda|functions|infra)/', '^shared/config\\.ts$', '@aws-sdk/', '^(node:)?(net|http|https|http2|dns|fs|fs/promises|child_process|worker_threads)$'] },
    },
    { name: 'ports-are-interfaces', severity: 'error', comment: 'Ports are owned by the domain: they import no adapter or outer layer.', from: { path: '^shared/ports/' }, to: { path: '^shared/(adapters|app|alerts|http|web)/|^(local|lambda|functions|infra)/' } },
    { name: 'use-cases-know-no-delivery', severity: 'error', comment: 'Use cases know nothing of HTTP, pages or runtimes.', from: { path: '^shared/(app|alerts)/' }, to: { path: '^shared/(http|web|routes)/|^(local|lambda|functions|infra)/' } },
    { name: 'use-cases-through-ports', severity: 'error', comment: 'Use cases reach the outside through ports; adapters are chosen by the composition.', from: { path: '^shared/(app|alerts|core)/' }, to: { path: '^shared/adapters/' } },
    { name: 'http-not-to-web', severity: 'error', comment: 'web -> http, never back; the route table (routes/) composes both.', from: { path: '^shared/http/' }, to: { path: '^shared/(web|routes)/' } },
    { name: 'web-not-to-routes', severity: 'error', comment: 'Pages do not know how the route table composes them.', from: { path: '^shared/web/' }, to: { path: '^shared/routes/' } },
    { name: 'messages-are-leaves', severity: 'error', comment: 'Message catalogues and formats are used by pages and mails alike; they import no layer.', from: { path: '^shared/i18n/' }, to: { path: '^shared/(adapters|app|alerts|http|web|routes|core|ports)/' } },
    { name: 'shared-not-to-runtimes', severity: 'error', comment: 'The runtimes compose shared/; shared/ does not know them.', from: { path: '^shared/' }, to: { path: '^(local|lambda|functions|infra)/' } },
    { name: 'no-source-to-test', severity: 'error', comment: 'Shipped code never imports tests.', from: { path: '^(shared|local|lambda|functions|infra|bin|scripts)/' }, to: { path: '^test/' } },
    { name: 'bench-not-to-test', severity: 'error', comment: 'Benchmarks use shipped helpers, not test code.', from: { path: '^bench/' }, to: { path: '^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
