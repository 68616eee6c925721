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

export interface HeadOptions {
  seed?: string | number;
  kernels?: KernelMode;
  /** Standard deviation of the fresh weight (default 0.02, the Hugging Face init); 0 = zeros. */
  initStd?: number;
}

export class ScalarHead {
  /** Weight-name prefix: 'value' or 'progress' (or any other head name). */
  readonly name: string;
  readonly dModel: number;
  kernels: KernelMode;
  private readonly vars = new Map<string, tf.Variable>();

  constructor(name: string, dModel: number, opts: HeadOptions = {}, weights?: ReadonlyMap<string, tf.Tensor>) {
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
      const std = opts.initStd ?? 0.02;
      const init = given ? tf.clone(given) : key.endsWith('.b') || std === 0 ? tf.zeros(shape) : normalTensor(shape, std, `${opts.seed ?? 0}/${key}`);
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
export function createValueHead(config: ModelConfig, opts: HeadOptions = {}): ScalarHead {
  return new ScalarHead('value', config.dModel, opts);
}

/**
 * A fresh progress-estimator head (`progress.w`, `progress.b`): c_t read at a step's closing
 * token. Zero-initialised, so the estimator starts by predicting Σ_t c_t = 0: with the usual
 * 0.02 init, the shared direction of the final-norm hidden states gives every step of a
 * 40-step trajectory the same-signed c_t and sums of ±10 against rewards in [0, 1], and the
 * first updates spend themselves undoing that (measured on the quick VirtualHome set: loss 91
 * at the first update, still 24 after 7). The paper's head reads 128k vocabulary logits whose
 * scale we do not have; its init is not one of the method's invariants.
 */
export function createProgressHead(config: ModelConfig, opts: HeadOptions = {}): ScalarHead {
  return new ScalarHead('progress', config.dModel, { initStd: 0, ...opts });
}
