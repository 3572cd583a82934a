// The CDK app entry (cdk.json: "app": "node --import tsx infra/app.ts").
import { createHubApp } from './hub-app.ts';

createHubApp().app.synth();
