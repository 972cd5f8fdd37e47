/**
 * How the client's results are derived from Kinesis's JSON, written once for the type and once for the
 * value, so that a field added to a contract schema appears in the client's result type and output
 * with no change here.
 *
 * The convention, exactly invertible (`toKinesisShape` undoes `toCamelCase`):
 * - keys: the first letter lower-cased (`StreamARN` → `streamARN`, `HasMoreShards` → `hasMoreShards`);
 *   Kinesis's output keys all start with a capital letter;
 * - a number under a key ending in `Timestamp` (epoch seconds, as Kinesis's JSON protocol writes every
 *   timestamp) → a `Date` (millisecond precision, as Kinesis gives it);
 * - a string under the key `Data` (a record's bytes, base64 in GetRecords) → a `Uint8Array`;
 * - `null` and absent both mean absent (some Kinesis-compatible engines write absent fields as `null`):
 *   the field is left out;
 * - the fields the contract's schema declares, and only those (its type lists no others): a field added
 *   to a schema appears, one Kinesis sends that the schema does not know is left out.
 */
import { base64ToBytes, bytesToBase64 } from '#base64';

/** Keys of `T` without its index signature (the contract's response schemas are loose objects). */
type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: unknown;
};

/** Keys whose value may be absent or null: optional in the client's type. */
type MaybeKeys<T> = {
  [K in KnownKeys<T>]-?: undefined extends T[K] ? K : null extends T[K] ? K : never;
}[KnownKeys<T>];

/** The value of field `K` in the client's shape. */
type CamelValue<K, V> = [V] extends [number]
  ? K extends `${string}Timestamp`
    ? Date
    : V
  : [V] extends [string]
    ? K extends 'Data'
      ? Uint8Array
      : V
    : CamelCase<V>;

/** One flat object type (readable in editors, and equal to a hand-written one in type tests). */
export type Flatten<T> = { [K in keyof T]: T[K] } & {};

/**
 * The client's shape of a Kinesis output type: `CamelCase<z.output<typeof StreamDescription>>` is the
 * client's `StreamDescription`. Unknown fields (the index signature of a loose schema) are left out.
 */
export type CamelCase<T> = T extends readonly (infer E)[]
  ? CamelCase<E>[]
  : T extends Date | Uint8Array | ((...args: never[]) => unknown)
    ? T
    : T extends object
      ? Flatten<
          {
            [K in Exclude<KnownKeys<T>, MaybeKeys<T>> as Uncapitalize<K & string>]: CamelValue<K, T[K]>;
          } & {
            [K in MaybeKeys<T> as Uncapitalize<K & string>]?: CamelValue<K, NonNullable<T[K]>>;
          }
        >
      : T;

/**
 * The inverse of `CamelCase`: Kinesis's shape of a client result (`Date` → epoch seconds, or `Stamp`
 * when `toKinesisShape` is given another timestamp format; bytes → base64).
 */
export type KinesisShape<T, Stamp = number> = T extends readonly (infer E)[]
  ? KinesisShape<E, Stamp>[]
  : T extends Date
    ? Stamp
    : T extends Uint8Array
      ? string
      : T extends (...args: never[]) => unknown
        ? never
        : T extends object
          ? Flatten<{
              [K in keyof T as T[K] extends (...args: never[]) => unknown
                ? never
                : Capitalize<K & string>]: KinesisShape<T[K], Stamp>;
            }>
          : T;

/**
 * What the mapper reads of a zod schema: its kind and, for objects, arrays and wrappers, what is inside.
 * (The contract's schemas are zod/mini schemas; the client reads their definitions, not zod itself.)
 */
export interface SchemaLike {
  readonly _zod: {
    readonly output: unknown;
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, SchemaLike>>;
      readonly element?: SchemaLike;
      readonly innerType?: SchemaLike;
    };
  };
}

/** What a schema parses to (`z.output<S>`). */
export type Output<S extends SchemaLike> = S['_zod']['output'];

type Mapper = (value: unknown) => unknown;
type ObjectMapper = (value: Record<string, unknown>, target: Record<string, unknown>) => void;

const identity: Mapper = (value) => value;
const objectMappers = new WeakMap<SchemaLike, ObjectMapper>();

/** One field's conversion: by the key's name (timestamps, record data), else by its schema. */
function fieldMapper(key: string, schema: SchemaLike): Mapper {
  const inner = mapperOf(schema);
  if (key.endsWith('Timestamp')) {
    return (value) => (typeof value === 'number' ? new Date(Math.round(value * 1000)) : inner(value));
  }
  if (key === 'Data') return (value) => (typeof value === 'string' ? base64ToBytes(value) : inner(value));
  return inner;
}

/**
 * The fields an object schema declares, each with its camelCase name and conversion, worked out once
 * per schema: a GetRecords answer maps thousands of records with the same few fields.
 */
function objectMapperOf(schema: SchemaLike): ObjectMapper {
  let mapper = objectMappers.get(schema);
  if (mapper === undefined) {
    const keys = Object.keys(schema._zod.def.shape ?? {});
    const names = keys.map((key) => key.charAt(0).toLowerCase() + key.slice(1));
    const maps = keys.map((key) => fieldMapper(key, schema._zod.def.shape![key]!));
    mapper = (value, target) => {
      for (let i = 0; i < keys.length; i++) {
        const field = value[keys[i]!];
        if (field === null || field === undefined) continue;
        const map = maps[i]!;
        target[names[i]!] = map === identity ? field : map(field);
      }
    };
    objectMappers.set(schema, mapper);
  }
  return mapper;
}

function mapperOf(schema: SchemaLike): Mapper {
  const { def } = schema._zod;
  if (def.type === 'object') {
    const mapObject = objectMapperOf(schema);
    return (value) => {
      if (typeof value !== 'object' || value === null) return value;
      const out: Record<string, unknown> = {};
      mapObject(value as Record<string, unknown>, out);
      return out;
    };
  }
  if (def.type === 'array' && def.element) {
    const mapElement = mapperOf(def.element);
    return (value) => (Array.isArray(value) ? value.map(mapElement) : value);
  }
  if (def.innerType) return mapperOf(def.innerType); // optional, nullable
  return identity;
}

/**
 * Copies the fields `schema` declares from a Kinesis output object (`value`, as the schema validated it)
 * into `target`, converted by the convention above. `target` lets a result be built on a prototype
 * (`ReceivedRecord`). Fields the schema does not declare are left out, as they are of the type.
 */
export function camelCaseInto<S extends SchemaLike, Target extends object>(
  schema: S,
  target: Target,
  value: Output<S>,
): Target & CamelCase<Output<S>> {
  objectMapperOf(schema)(value as Record<string, unknown>, target as Record<string, unknown>);
  return target as Target & CamelCase<Output<S>>;
}

/** A Kinesis output, as `schema` (one of the contract's) validated it, in the client's shape. */
export function toCamelCase<S extends SchemaLike>(schema: S, value: Output<S>): CamelCase<Output<S>> {
  return mapperOf(schema)(value) as CamelCase<Output<S>>;
}

/**
 * The inverse of `toCamelCase`: a client result in Kinesis's shape (`streamARN` → `StreamARN`, `Date` →
 * epoch seconds, `Uint8Array` → base64), e.g. to print the JSON the AWS CLI would print. Own enumerable
 * fields only, so a `ReceivedRecord`'s `text()`/`json()` (on its prototype) are left out. `timestamp`
 * formats dates another way (the AWS CLI v2 prints ISO 8601 by default).
 */
export function toKinesisShape<T, Stamp = number>(
  value: T,
  options: { timestamp?: ((date: Date) => Stamp) | undefined } = {},
): KinesisShape<T, Stamp> {
  const timestamp = options.timestamp ?? ((date: Date) => date.getTime() / 1000);
  const kinesisValue = (field: unknown): unknown => {
    if (field instanceof Date) return timestamp(field);
    if (field instanceof Uint8Array) return bytesToBase64(field);
    if (Array.isArray(field)) return field.map(kinesisValue);
    if (typeof field !== 'object' || field === null) return field;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(field)) {
      const inner = (field as Record<string, unknown>)[key];
      if (inner === undefined || typeof inner === 'function') continue;
      out[key.charAt(0).toUpperCase() + key.slice(1)] = kinesisValue(inner);
    }
    return out;
  };
  return kinesisValue(value) as KinesisShape<T, Stamp>;
}
