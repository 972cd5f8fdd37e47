#!/usr/bin/env node
// The `prepack` of each published package runs this first. pnpm pack turns the workspace's `workspace:*`
// and `catalog:` versions into real ones; npm pack copies them as they are, and the tarball then fails
// to install (`EUNSUPPORTEDPROTOCOL`). So npm pack stops here, saying what to run instead.
const agent = process.env.npm_config_user_agent ?? '';
if (agent.startsWith('npm/')) {
  console.error(
    'error: npm pack cannot pack this package: its dependencies use pnpm workspace versions ' +
      '(workspace:*, catalog:) that only pnpm pack turns into real ones.\n' +
      'hint: run `pnpm pack` in this directory (pnpm 12: `npx -y pnpm@12.21.0 pack`).',
  );
  process.exit(1);
}
