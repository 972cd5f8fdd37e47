/**
 * Every example's header says how to run it; those commands must work exactly as written. Each
 * example's "Run it from examples/" block is read from its header comment and run line by line with
 * `sh`, in order, against the emulator (KPROXY_ENDPOINT, as the headers say), in a directory that looks
 * like examples/ to the commands (the example files and node_modules linked in), so that the files the
 * commands write (input.jsonl, checkpoints) land there and not in the repository. A command marked
 * "Ctrl-C" is stopped with SIGINT once it has printed, as a person would stop it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, useEmulator } from './support.ts';

const emulator = useEmulator();

/** The commands of an example's "Run it from examples/" block, with their trailing comments. */
function headerCommands(file: string): { command: string; comment: string }[] {
  const header = readFileSync(join(examplesDir, file), 'utf8').split('*/')[0]!.split('\n');
  const start = header.findIndex((line) => line.includes('Run it from examples/'));
  expect(start, `${file}: no "Run it from examples/" in its header`).toBeGreaterThan(-1);
  const block: string[] = [];
  // Past the paragraph that introduces it, the indented lines up to the next blank comment line.
  let i = header.findIndex((line, at) => at > start && /^\s*\*\s*$/.test(line)) + 1;
  for (; i < header.length && /^\s*\*\s{3,}\S/.test(header[i]!); i++)
    block.push(header[i]!.replace(/^\s*\*\s+/, ''));
  return block.map((line) => {
    const [command, comment = ''] = line.split(/\s{2,}#\s/, 2) as [string, string?];
    return { command: command.trim(), comment };
  });
}

/** A directory that looks like examples/ to the commands. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kproxy-example-headers-'));
  for (const name of [
    ...readdirSync(examplesDir).filter((f) => f.endsWith('.ts')),
    'node_modules',
    'package.json',
  ]) {
    symlinkSync(join(examplesDir, name), join(dir, name));
  }
  return dir;
}

function sh(
  command: string,
  cwd: string,
  stopWhenPrinted: boolean,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A command to stop runs in sh's place (exec), so that Ctrl-C (SIGINT) reaches it as on a terminal.
    const child = spawn('sh', ['-c', stopWhenPrinted ? `exec ${command}` : command], {
      cwd,
      env: { ...process.env, KPROXY_ENDPOINT: emulator.proxy.url, KPROXY_AUTH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stopWhenPrinted && stdout.includes('\n')) child.kill('SIGINT');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the commands in the examples’ headers run as written', () => {
  // In the order a reader follows them: put-and-read creates the stream the others use.
  const cwd = workDir();
  for (const file of ['put-and-read.ts', 'bulk-producer.ts', 'resuming-consumer.ts']) {
    it(file, async () => {
      const commands = headerCommands(file);
      expect(commands.length).toBeGreaterThan(0);
      for (const { command, comment } of commands) {
        expect(command, 'a command to run, not a synopsis').not.toMatch(/<|\[/);
        const follows = /Ctrl-C/.test(comment);
        if (follows) {
          // Something to print while it follows: a new record.
          await emulator.client.putRecord({ streamName: 'examples', data: 'new', partitionKey: 'k' });
        }
        const run = await sh(command, cwd, follows);
        // A follower stopped with Ctrl-C ends as cleanly as one that reached its end.
        expect(run.code, `${command}\n${run.stderr}`).toBe(0);
        expect(run.stderr, command).not.toMatch(/error|usage:|stopped/i);
        if (follows) expect(run.stdout).toContain(' new\n');
      }
    }, 60_000);
  }
});
