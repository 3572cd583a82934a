// Entry point of the `icat-hub` command (and of `npm start`).
// The SDK's notice that its 2027 releases need Node 22 says nothing about this (locked) install; the
// README says it instead of every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { ConfigError, HubError } from '../../shared/errors.ts';
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(e instanceof ConfigError || e instanceof HubError ? `${e.message}\n` : `${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
