/**
 * The reference renderer: `java/ApiGatewayRenderer.java` (Apache Velocity 1.7, Jayway JsonPath,
 * commons-lang), compiled with javac at test time against Debian's jars in /usr/share/java and cached
 * by a hash of its source and classpath, then run once per batch: every case goes in on stdin, every
 * answer comes back on stdout, so one JVM start serves the whole suite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIR = join(PACKAGE_DIR, 'java');
/** Every Java source, relative to SOURCE_DIR: the renderer and json-smart's depth fix. */
const SOURCES = ['ApiGatewayRenderer.java', 'net/minidev/json/parser/DepthRestoringParser.java'];
const BUILD_ROOT = join(PACKAGE_DIR, '.java-build');
const MAIN_CLASS = 'ApiGatewayRenderer';
const JAR_DIR = '/usr/share/java';

/**
 * The jars the renderer needs, by their Debian names: Velocity 1.7 and what it loads (commons-collections
 * 3, commons-lang 2), Jayway JsonPath with json-smart (and its accessors-smart/asm), slf4j with the no-op
 * binding (Jayway logs through it).
 */
export const JARS = [
  'velocity',
  'commons-collections3',
  'commons-lang',
  'json-path',
  'json-smart',
  'accessors-smart',
  'asm',
  'slf4j-api',
  'slf4j-nop',
] as const;

/** Debian packages that provide the JDK and the jars (`.ci/run` installs them when missing). */
export const DEBIAN_PACKAGES = [
  'default-jdk-headless',
  'velocity',
  'libjsonpath-java',
  'libcommons-lang-java',
] as const;

export type JavaStatus = { ok: true; classpath: string } | { ok: false; reason: string };

function commandWorks(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

/** Whether java, javac and every jar are present; the reason when not. */
export function findJava(): JavaStatus {
  const missing: string[] = [];
  if (!commandWorks('java', ['-version'])) missing.push('java');
  if (!commandWorks('javac', ['-version'])) missing.push('javac');
  const jars = JARS.map((name) => join(JAR_DIR, `${name}.jar`));
  missing.push(...jars.filter((jar) => !existsSync(jar)));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `missing ${missing.join(', ')} (install with: apt-get install -y ${DEBIAN_PACKAGES.join(' ')})`,
    };
  }
  return { ok: true, classpath: jars.join(':') };
}

/** Compiles the renderer unless a build of this exact source and classpath exists; returns its directory. */
export function compileRenderer(classpath: string): string {
  const hasher = createHash('sha256').update(classpath);
  for (const file of SOURCES) hasher.update(file).update(readFileSync(join(SOURCE_DIR, file)));
  const hash = hasher.digest('hex').slice(0, 16);
  const dir = join(BUILD_ROOT, hash);
  if (existsSync(join(dir, `${MAIN_CLASS}.class`))) return dir;
  mkdirSync(BUILD_ROOT, { recursive: true });
  // Build beside the final directory and rename, so a concurrent run never sees half a build.
  const temp = `${dir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  const sources = SOURCES.map((file) => join(SOURCE_DIR, file));
  const javac = spawnSync(
    'javac',
    ['-nowarn', '-encoding', 'UTF-8', '-d', temp, '-cp', classpath, ...sources],
    {
      encoding: 'utf8',
    },
  );
  if (javac.status !== 0) throw new Error(`javac failed:\n${javac.stderr}${javac.stdout}`);
  try {
    renameSync(temp, dir);
  } catch (error) {
    // Another run won the race with an identical build.
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return dir;
}

/** One template rendering: the template, the payload and the method request's parameters. */
export interface RenderRequest {
  readonly id: string;
  readonly template: string;
  readonly body: string;
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  readonly header: Readonly<Record<string, string>>;
  /** `$context` values by dotted key (`identity.sourceIp`). */
  readonly context: Readonly<Record<string, string>>;
}

/** What an engine made of a request: the bytes it would send, or the error it failed with. */
export type RenderResult =
  | { readonly ok: true; readonly output: Buffer; readonly status: string | undefined }
  | { readonly ok: false; readonly error: string };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const pairs = (map: Readonly<Record<string, string>>) =>
  Object.entries(map).map(([k, v]) => [b64(k), b64(v)]);

interface JavaAnswer {
  id: string;
  ok: boolean;
  output?: string;
  status?: string | null;
  error?: string;
}

/**
 * Renders every request with the Java engine in one JVM. Strings cross the pipe as base64 of UTF-8, so
 * the envelope is ASCII and nothing but the engine under test parses a value. (A JS string with an
 * unpaired surrogate cannot be UTF-8 and reaches Java as U+FFFD, as it would reach API Gateway.)
 */
export async function renderWithJava(
  classpath: string,
  requests: readonly RenderRequest[],
): Promise<Map<string, RenderResult>> {
  const dir = compileRenderer(classpath);
  const child = spawn('java', ['-cp', `${dir}:${classpath}`, MAIN_CLASS], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  for (const request of requests) {
    const line = JSON.stringify({
      id: request.id,
      template: b64(request.template),
      body: b64(request.body),
      path: pairs(request.path),
      querystring: pairs(request.querystring),
      header: pairs(request.header),
      context: pairs(request.context),
    });
    if (!child.stdin.write(`${line}\n`)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) {
    throw new Error(`the Java renderer exited with ${code}: ${Buffer.concat(stderr).toString()}`);
  }
  const results = new Map<string, RenderResult>();
  for (const line of Buffer.concat(stdout).toString('utf8').split('\n')) {
    if (line === '') continue;
    const answer = JSON.parse(line) as JavaAnswer;
    results.set(
      answer.id,
      answer.ok
        ? {
            ok: true,
            output: Buffer.from(answer.output ?? '', 'base64'),
            status: answer.status ? Buffer.from(answer.status, 'base64').toString('utf8') : undefined,
          }
        : { ok: false, error: Buffer.from(answer.error ?? '', 'base64').toString('utf8') },
    );
  }
  if (results.size !== requests.length) {
    throw new Error(`the Java renderer answered ${results.size} of ${requests.length} cases`);
  }
  return results;
}
