import { defineCommand } from '../../core/define-command.ts';
import { CliError } from '../../core/errors.ts';
import { canPrompt, confirm } from '../../core/prompt.ts';

export const deleteStreamCommand = defineCommand({
  command: 'delete-stream',
  describe: 'Delete a stream and all its records (asks first on a terminal)',
  examples: [
    ['kproxy delete-stream demo', 'asks for confirmation on a terminal'],
    ['kproxy delete-stream demo --yes', 'no question (scripts)'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    yes: { type: 'boolean', alias: 'y', describe: 'Do not ask for confirmation' },
  },
  async handler(args, ctx) {
    if (!args.yes && canPrompt(ctx.io)) {
      const sure = await confirm(ctx.io, `Delete stream "${args.name}" and all its records?`);
      if (!sure) throw new CliError('Not deleted.', undefined);
    }
    const client = await ctx.client();
    await client.deleteStream({ streamName: args.name }, { signal: ctx.signal });
    ctx.out.success(`Deleting stream ${args.name}`);
  },
});
