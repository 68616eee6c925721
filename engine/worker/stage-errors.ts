/**
 * Stage errors a user can act on. The wasm backend reports running out of its heap as a bare
 * "memory access out of bounds" or "Aborted()", which names neither the cause nor the fix.
 */
import type { RunConfig } from '../../common/run-config';
import { ROWS_PER_PASS } from '../pipeline/batch';

const WASM_OUT_OF_MEMORY = /memory access out of bounds|^Aborted\(|out of memory|Cannot enlarge memory/i;

export function explainStageError(message: string, backend: string, config: RunConfig): string {
  if (backend === 'wasm' && WASM_OUT_OF_MEMORY.test(message)) {
    return (
      `the wasm backend ran out of memory (its heap is at most 4 GiB) with context ${config.model.context}, ` +
      `RL passes of ${ROWS_PER_PASS} rows and estimator batches of ${config.estimator.batchSize}: ` +
      `lower model.context or estimator.batchSize, or use a tensorflow backend (wasm said: ${message})`
    );
  }
  return message;
}
