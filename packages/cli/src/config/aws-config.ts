/**
 * The region of an AWS profile (`region = …` in `~/.aws/config`), read as the AWS CLI and SDKs read it:
 * `$AWS_CONFIG_FILE`, else `~/.aws/config`, with `[profile NAME]` and `[default]` sections. Used when
 * kproxy signs with IAM and nothing else gave a region, so that a profile's region applies as it does
 * for `aws` itself.
 *
 * Imported lazily (only for `--auth iam` without a region); the static import of the loader here, not a
 * dynamic import of it, is what keeps its named exports through the code-splitting bundle.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/core/config';

type Env = Readonly<Record<string, string | undefined>>;

export async function awsProfileRegion(profile: string, env: Env): Promise<string | undefined> {
  const home = env.HOME || env.USERPROFILE || homedir();
  const { configFile } = await loadSharedConfigFiles({
    configFilepath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
    ignoreCache: true,
  });
  const region = configFile[profile]?.region?.trim();
  return region || undefined;
}
