/** The policy model: config, transformer, scalar heads, generation, sampling, training step. */
export { benchModelConfig, forwardFlops, parameterCount, validateConfig, type ModelConfig } from './config';
export { generate, type FinishReason, type GenerateOptions, type GenerateResult } from './generate';
export { ScalarHead, createProgressHead, createValueHead } from './heads';
export { argmax, logSoftmaxAt, nucleus, sampleToken, temperatureProbs, type SamplingOptions } from './sampling';
export { lmGradients, lmTrainStep, maskedNll, type TokenBatch } from './train-step';
export { TransformerLM, weightShapes, type KernelMode, type TransformerOptions, type TrunkHooks } from './transformer';
