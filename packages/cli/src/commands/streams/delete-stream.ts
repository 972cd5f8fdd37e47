import { defineCommand } from '../../core/define-command.ts';
import { canPrompt, confirm } from '../../core/prompt.ts';
import { WAIT_OPTIONS, waitOptions } from './wait.ts';

export const deleteStreamCommand = defineCommand({
  command: 'delete-stream',
  describe: 'Delete a stream and all its records (asks first on a terminal)',
  description: `Deletes a stream and every record in it. On a terminal it asks first; answering no deletes
nothing (exit 0). The stream is DELETING for a while; --wait returns once it is gone. Like
\`aws kinesis delete-stream\`, it prints nothing on stdout.`,
  examples: [
    ['kproxy delete-stream demo', 'asks for confirmation on a terminal'],
    ['kproxy delete-stream demo --yes --wait', 'no question (scripts); return once it is gone'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    yes: { type: 'boolean', alias: 'y', describe: 'Do not ask for confirmation' },
    ...WAIT_OPTIONS,
    wait: { type: 'boolean', describe: 'Wait until the stream is gone' },
  },
  async handler(args, ctx) {
    if (!args.yes && canPrompt(ctx.io)) {
      const sure = await confirm(ctx.io, `Delete stream "${args.name}" and all its records?`);
      if (!sure) {
        ctx.out.info(`Nothing deleted: stream ${args.name} is kept.`);
        return;
      }
    }
    const wait = waitOptions(args, ctx);
    const client = await ctx.client();
    await client.deleteStream({ streamName: args.name }, { signal: ctx.signal });
    if (wait) {
      await client.waitForStream({ streamName: args.name, status: 'DELETED', ...wait });
      ctx.out.success(`Deleted stream ${args.name}`);
    } else {
      ctx.out.success(`Deleting stream ${args.name}`);
    }
  },
});
