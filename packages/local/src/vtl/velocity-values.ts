/**
 * Apache Velocity 1.7's comparisons, over the values API Gateway's templates hold (Java strings,
 * booleans and numbers, json-smart's lists and maps), for the emulator's `==`, `!=`, `<`, `>`, `<=`,
 * `>=`.
 */
import { isJavaNumber, type JavaNumber, javaToString } from './java.ts';

const isNumeric = (value: unknown): value is number | JavaNumber =>
  typeof value === 'number' || isJavaNumber(value);

function exactInteger(value: number | JavaNumber): bigint | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  return value.bigint();
}

/** `MathUtils.compare`: exact for integers, by value otherwise. */
function compareNumbers(left: number | JavaNumber, right: number | JavaNumber): number {
  const a = exactInteger(left);
  const b = exactInteger(right);
  if (a !== undefined && b !== undefined) return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(left);
  const y = Number(right);
  return x < y ? -1 : x > y ? 1 : 0;
}

type JavaClass = 'String' | 'Boolean' | 'Number' | 'List' | 'Map' | 'Other';

function javaClass(value: unknown): JavaClass {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (isNumeric(value)) return 'Number';
  if (Array.isArray(value)) return 'List';
  if (value !== null && typeof value === 'object') return 'Map';
  return 'Other';
}

function numberClass(value: number | JavaNumber): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Double';
  return value.kind;
}

/** `Object.equals` of two Java values (type-sensitive: Integer 1 is not Long 1 nor Double 1.0). */
export function javaEquals(left: unknown, right: unknown): boolean {
  const a = left ?? null;
  const b = right ?? null;
  if (a === null || b === null) return a === b;
  const kind = javaClass(a);
  if (kind !== javaClass(b)) return false;
  switch (kind) {
    case 'Number':
      return (
        numberClass(a as number | JavaNumber) === numberClass(b as number | JavaNumber) &&
        javaToString(a) === javaToString(b)
      );
    case 'List': {
      const x = a as unknown[];
      const y = b as unknown[];
      return x.length === y.length && x.every((item, i) => javaEquals(item, y[i]));
    }
    case 'Map': {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const keys = Object.keys(x);
      return (
        keys.length === Object.keys(y).length &&
        keys.every((key) => Object.hasOwn(y, key) && javaEquals(x[key], y[key]))
      );
    }
    default:
      return a === b;
  }
}

/**
 * Velocity 1.7's `==`: two numbers by value; two values of one class (or a class and its subclass) by
 * `equals`; anything else by their `toString()`, where null equals only null.
 */
export function velocityEquals(left: unknown, right: unknown): boolean {
  const a = left ?? null;
  const b = right ?? null;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
  if (a !== null && b !== null && javaClass(a) === javaClass(b)) return javaEquals(a, b);
  return javaToString(a) === javaToString(b);
}

/** Velocity 1.7's `<`, `>`, `<=`, `>=`: numbers only; false (an error in its log) for anything else. */
export function velocityCompare(operator: string, left: unknown, right: unknown): boolean {
  if (!isNumeric(left) || !isNumeric(right)) return false;
  const order = compareNumbers(left, right);
  if (operator === '<') return order < 0;
  if (operator === '>') return order > 0;
  if (operator === '<=') return order <= 0;
  return order >= 0;
}
