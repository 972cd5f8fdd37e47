import { defineCommand } from '../../core/define-command.ts';

export const listStreamsCommand = defineCommand({
  command: 'list-streams',
  describe: 'List stream names (all pages)',
  examples: [
    ['kproxy list-streams', 'one name per line'],
    ['kproxy list-streams --output json', '{"streamNames": [...]}'],
  ],
  options: {
    limit: { type: 'number', describe: 'Stop after this many names' },
  },
  async handler(args, ctx) {
    const client = await ctx.client();
    const names: string[] = [];
    for await (const name of client.listStreams({}, { signal: ctx.signal })) {
      if (args.limit !== undefined && names.length >= args.limit) break;
      names.push(name);
    }
    ctx.out.result({ streamNames: names }, () => names);
  },
});
