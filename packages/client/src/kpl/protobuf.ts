/**
 * The few protobuf (proto2) wire-format pieces the KPL format needs: unsigned varints and
 * length-delimited fields, written into a buffer sized in advance, and a reader that refuses anything
 * malformed (by returning undefined through `ProtobufError`, caught by the decoder).
 *
 * Wire format: each field is a key varint `(fieldNumber << 3) | wireType`, then a varint (type 0), a
 * length varint and that many bytes (type 2), or 8 / 4 bytes (types 1 / 5).
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** Bytes of `value` (a non-negative safe integer) as a varint. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

/** Bytes of a length-delimited field of `length` bytes with a one-byte key (field numbers 1–15). */
export function lengthDelimitedSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/** Writes into a buffer allocated for the exact size. */
export class ProtobufWriter {
  readonly bytes: Uint8Array;
  offset = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  varint(value: number): void {
    while (value >= 0x80) {
      this.bytes[this.offset++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.offset++] = value;
  }

  key(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  raw(bytes: Uint8Array): void {
    this.bytes.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** A length-delimited field holding `bytes`. */
  lengthDelimited(field: number, bytes: Uint8Array): void {
    this.key(field, WIRE_LENGTH_DELIMITED);
    this.varint(bytes.length);
    this.raw(bytes);
  }
}

/** Malformed protobuf input; the decoder turns it into "not an aggregated record". */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

/** Reads fields from `bytes[start, end)`. Every read checks bounds. */
export class ProtobufReader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset: number,
    private readonly end: number,
  ) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  /** An unsigned varint as a safe integer (indices and lengths); larger values are malformed here. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.end) throw new ProtobufError('truncated varint');
      const byte = this.bytes[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw new ProtobufError('varint too large');
        return value;
      }
      scale *= 0x80;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** The key of the next field. */
  key(): { field: number; wireType: number } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new ProtobufError('field number 0');
    return { field, wireType: key % 8 };
  }

  /** The bounds of a length-delimited value, skipped over. */
  lengthDelimited(): { start: number; end: number } {
    const length = this.varint();
    const start = this.offset;
    if (length > this.end - start) throw new ProtobufError('length past the end');
    this.offset = start + length;
    return { start, end: this.offset };
  }

  /** Skips a field of an unknown number (proto2 keeps unknown fields readable). */
  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) this.skipVarint();
    else if (wireType === WIRE_LENGTH_DELIMITED) this.lengthDelimited();
    else if (wireType === WIRE_FIXED64) this.advance(8);
    else if (wireType === WIRE_FIXED32) this.advance(4);
    else throw new ProtobufError(`unsupported wire type ${wireType}`);
  }

  private skipVarint(): void {
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.end) throw new ProtobufError('truncated varint');
      if (this.bytes[this.offset++]! < 0x80) return;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  private advance(n: number): void {
    if (n > this.end - this.offset) throw new ProtobufError('truncated field');
    this.offset += n;
  }
}
