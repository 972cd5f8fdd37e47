import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';

const SHELL_NAMES = ['bash', 'zsh', 'fish'] as const;

export const completionCommand = defineCommand({
  command: 'completion',
  noQuery: 'kproxy completion prints a shell script.',
  describe: 'Print a shell completion script (bash, zsh or fish)',
  description: `Prints a script that completes kproxy's commands, options, option values and stream names
(asked of the API the command line points at, with a short timeout) in bash, zsh or fish. Without a
shell name it takes the one in $SHELL.`,
  examples: [
    ["echo 'source <(kproxy completion bash)' >> ~/.bashrc", 'bash: load it in every new shell'],
    ["echo 'source <(kproxy completion zsh)' >> ~/.zshrc", 'zsh: the same (after compinit)'],
    ['kproxy completion fish > ~/.config/fish/completions/kproxy.fish', 'fish: install it'],
  ],
  positionals: {
    shell: { type: 'string', choices: SHELL_NAMES, describe: 'The shell (default: from $SHELL)' },
  },
  async handler(args, ctx) {
    const fromEnv = (ctx.io.env.SHELL ?? '').split('/').at(-1) ?? '';
    const shell = args.shell ?? ((SHELL_NAMES as readonly string[]).includes(fromEnv) ? fromEnv : undefined);
    if (shell === undefined) {
      throw new UsageError(
        `Which shell? $SHELL is "${ctx.io.env.SHELL ?? ''}".`,
        'Name it: kproxy completion bash, kproxy completion zsh or kproxy completion fish.',
      );
    }
    const { COMPLETION_SCRIPTS } = await import('../../completion/scripts.ts');
    ctx.out.raw(COMPLETION_SCRIPTS[shell as keyof typeof COMPLETION_SCRIPTS]);
  },
});
