#!/usr/bin/env node
/**
 * The CDK app: one `KproxyStack`, configured through CDK context (see lib/config.ts and README.md).
 * Environment-agnostic and free of lookups, so `cdk synth` needs no AWS account, network or Docker;
 * `cdk deploy` takes the account and region from the caller's AWS credentials and profile.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, readConfig } from '../lib/config.ts';
import { KproxyStack } from '../lib/kproxy-stack.ts';

const app = new App();
const config = (() => {
  try {
    return readConfig(app.node);
  } catch (error) {
    // A wrong `-c key=value` is the user's to fix: one line, no stack.
    if (!(error instanceof ConfigError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(1);
  }
})();
new KproxyStack(app, config.stackName, config.stackProps);

if (config.nag) {
  // AwsSolutions rule pack on every synth (cdk-nag 3 is a CDK policy-validation plugin): a finding
  // that is not acknowledged with a reason (lib/nag.ts) fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
