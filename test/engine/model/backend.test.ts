/** engine/backend.ts: the ladder, idempotence, the SPA_BACKEND override, wasm from any cwd. */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { initBackend, wasmDistDir } from '../../../engine/backend';

afterEach(() => {
  delete process.env.SPA_BACKEND;
});

describe('initBackend', () => {
  it('selects cpu on request, idempotently', async () => {
    const a = await initBackend('cpu');
    expect(a).toEqual({ backend: 'cpu', reason: 'requested cpu', tried: [{ name: 'cpu' }] });
    expect(await initBackend('cpu')).toBe(a);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('honours SPA_BACKEND over the argument and rejects unknown values', async () => {
    process.env.SPA_BACKEND = 'cpu';
    const info = await initBackend('wasm');
    expect(info.backend).toBe('cpu');
    expect(info.reason).toContain('SPA_BACKEND=cpu');
    process.env.SPA_BACKEND = 'gpu-please';
    await expect(initBackend()).rejects.toThrow(/SPA_BACKEND/);
  });

  it('climbs the ladder: native TensorFlow if it imports, else wasm (from any cwd), recording why', async () => {
    const cwd = process.cwd();
    process.chdir('/');
    try {
      const info = await initBackend('auto');
      expect(['tensorflow', 'wasm']).toContain(info.backend);
      const chosen = info.tried[info.tried.length - 1]!;
      expect(chosen.error).toBeUndefined();
      for (const failed of info.tried.slice(0, -1)) expect(failed.error).toMatch(/\S/);
      if (info.backend === 'wasm') {
        expect(info.tried.map((t) => t.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
        expect(tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0])).toBe(11);
      }
    } finally {
      process.chdir(cwd);
    }
    expect(wasmDistDir()).toMatch(/tfjs-backend-wasm[/\\]dist[/\\]$/);
  });
});
