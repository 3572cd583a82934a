// Builds the CDK app: settings from context, the hub stack, and cdk-nag's AWS Solutions checks as a
// synth-time validation (an unacknowledged finding fails the synth). Used by infra/app.ts and the tests.
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HubStack } from './hub-stack.ts';
import { readSettings } from './settings.ts';

export interface HubAppOptions {
  /** Copies each cdk-nag acknowledgement and its reason into the template's Metadata (an audit trail). */
  nagAudit?: boolean;
}

export function createHubApp(props: AppProps = {}, options: HubAppOptions = {}): { app: App; stack: HubStack } {
  const app = new App(props);
  const settings = readSettings(app.node);
  const stack = new HubStack(app, `IcatHub-${settings.stage}`, {
    settings,
    description: `ICAT Syndication Hub (${settings.stage}): polls member feeds, serves merged feeds, announces new publications`,
    // No env: the template is environment-agnostic (account and region are resolved by CloudFormation),
    // so synth needs no credentials and gives the same template on every machine.
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: options.nagAudit === true }));
  return { app, stack };
}
