/**
 * Scalar heads on the policy's hidden state: the PPO value head (`value.*`) and the
 * progress estimator's per-step contribution head (`progress.*`). Each is a separate small
 * module with its own named weights, so a progress estimator is "SFT weights + a fresh
 * head" and a checkpoint can hold the trunk and any heads side by side.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './config';
import { normalTensor } from './init';
import { linear, linearReference } from './ops/linear';
import type { KernelMode } from './transformer';

export class ScalarHead {
  /** Weight-name prefix: 'value' or 'progress' (or any other head name). */
  readonly name: string;
  readonly dModel: number;
  kernels: KernelMode;
  private readonly vars = new Map<string, tf.Variable>();

  constructor(name: string, dModel: number, opts: { seed?: string | number; kernels?: KernelMode } = {}, weights?: ReadonlyMap<string, tf.Tensor>) {
    this.name = name;
    this.dModel = dModel;
    this.kernels = opts.kernels ?? 'fast';
    const shapes: [string, number[]][] = [
      [`${name}.w`, [dModel, 1]],
      [`${name}.b`, [1]],
    ];
    for (const [key, shape] of shapes) {
      const given = weights?.get(key);
      if (weights && !given) throw new Error(`ScalarHead: missing weight "${key}"`);
      if (given && !tf.util.arraysEqual(given.shape, shape)) throw new Error(`ScalarHead: "${key}" has shape [${given.shape}], expected [${shape}]`);
      const init = given ? tf.clone(given) : key.endsWith('.b') ? tf.zeros(shape) : normalTensor(shape, 0.02, `${opts.seed ?? 0}/${key}`);
      this.vars.set(key, tf.variable(init, true));
      init.dispose();
    }
  }

  /** hidden [B, T, d] → one scalar per position [B, T]. Differentiable. */
  apply(hidden: tf.Tensor3D): tf.Tensor2D {
    const [B, T, d] = hidden.shape;
    if (d !== this.dModel) throw new RangeError(`ScalarHead ${this.name}: hidden width ${d}, expected ${this.dModel}`);
    return tf.tidy(() => {
      const h = tf.reshape(hidden, [B * T, d]) as tf.Tensor2D; // [B·T, d]
      const lin = this.kernels === 'fast' ? linear : linearReference;
      const y = lin(h, this.vars.get(`${this.name}.w`) as tf.Tensor2D, this.vars.get(`${this.name}.b`) as tf.Tensor1D); // [B·T, 1]
      return tf.reshape(y, [B, T]) as tf.Tensor2D;
    });
  }

  namedWeights(): Map<string, tf.Variable> {
    return this.vars;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  clone(): ScalarHead {
    return new ScalarHead(this.name, this.dModel, { kernels: this.kernels }, this.vars);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** A fresh PPO value head (`value.w`, `value.b`). */
export function createValueHead(config: ModelConfig, opts: { seed?: string | number; kernels?: KernelMode } = {}): ScalarHead {
  return new ScalarHead('value', config.dModel, opts);
}

/** A fresh progress-estimator head (`progress.w`, `progress.b`): c_t read at a step's closing token. */
export function createProgressHead(config: ModelConfig, opts: { seed?: string | number; kernels?: KernelMode } = {}): ScalarHead {
  return new ScalarHead('progress', config.dModel, opts);
}
