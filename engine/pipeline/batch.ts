/** Padding token sequences into next-token batches, and picking minibatch rows out of them. */

export interface PackedRows {
  /** Positions per row (longest sequence − 1). */
  L: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** 1 where the next token is a trained (agent-turn) token. */
  mask: Float32Array;
}

/** Right-pads sequences into flat [B, L] inputs (tokens[:-1]), targets (tokens[1:]) and masks (targetMask[1:]). */
export function packRows(rows: readonly { tokens: readonly number[]; targetMask: readonly number[] }[], pad: number): PackedRows {
  const L = Math.max(...rows.map((r) => r.tokens.length)) - 1;
  const inputs = new Int32Array(rows.length * L).fill(pad);
  const targets = new Int32Array(rows.length * L).fill(pad);
  const mask = new Float32Array(rows.length * L);
  rows.forEach((r, b) => {
    inputs.set(r.tokens.slice(0, -1), b * L);
    targets.set(r.tokens.slice(1), b * L);
    mask.set(r.targetMask.slice(1), b * L);
  });
  return { L, inputs, targets, mask };
}

/** The rows `idx` of a flat [B, L] array, as a new flat [idx.length, L] array of the same type. */
export function takeRows<A extends Float32Array | Int32Array>(a: A, idx: readonly number[], L: number): A {
  const out = new (a.constructor as new (n: number) => A)(idx.length * L);
  idx.forEach((b, k) => out.set(a.subarray(b * L, (b + 1) * L), k * L));
  return out;
}
