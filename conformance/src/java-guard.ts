/**
 * Runs a test file's Java-backed tests only where the Java stack is installed, and never passes silently
 * without it: in CI (CI=true) a missing JDK or jar fails the file; elsewhere its tests are skipped with
 * a loud message saying what is not checked and how to install it.
 */
import { it } from 'vitest';
import { findJava } from './java-renderer.ts';

/** The classpath of the Java stack, or undefined after registering the failing or skipped test. */
export function javaClasspathOrSkip(what: string): string | undefined {
  const java = findJava();
  if (java.ok) return java.classpath;
  const message = `${what} NOT CHECKED: the Java template stack is ${java.reason}.`;
  if (process.env.CI === 'true') {
    it('has the Java template stack (required in CI)', () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n${'!'.repeat(100)}\n${message}\n${'!'.repeat(100)}\n`);
    it.skip(`${what} (skipped: ${java.reason})`, () => {});
  }
  return undefined;
}
