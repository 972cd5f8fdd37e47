/** `plural(1, 'record')` → `1 record`; `plural(3, 'record')` → `3 records`; irregular: `plural(n, 'entry', 'entries')`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
