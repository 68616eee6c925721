/**
 * How far one PPO iteration's update moves the policy, at given learning rates: the update of
 * `ppoUpdate` (the run's config) on the run's first RL batch, from its SFT checkpoint, measured as
 * 0.5·mean (Δ log π)² over the batch's action tokens (TRL's approx_kl, taken after the update).
 * The probe behind the standard preset's RL learning rate (engine/pipeline/presets.ts).
 *
 *   npx tsx scripts/probe-update-size.ts <run folder with RL rollouts> [lr ...] [--rows]
 *
 * --rows: minibatches of rows, as runs before ppo.miniBatchUnit trained.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunConfig } from '../common/run-config';
import type { Trajectory } from '../common/trajectory';
import { initBackend } from '../engine/backend';
import { AdaptiveKLController } from '../engine/algo/kl-controller';
import { createValueHead } from '../engine/model/heads';
import { forwardRows, packRows, ROWS_PER_PASS } from '../engine/pipeline/batch';
import { ppoRows, ppoUpdate } from '../engine/pipeline/ppo';
import { stepRewardsFor } from '../engine/pipeline/stages/rewards';
import { loadModel, viewOptions } from '../engine/pipeline/stages/shared';

async function main() {
  const args = process.argv.slice(2);
  const rowsFlag = args.includes('--rows');
  const [run, ...lrs] = args.filter((a) => a !== '--rows');
  if (!run) throw new Error('usage: probe-update-size.ts <run folder> [lr ...] [--rows]');
  await initBackend('wasm');
  const c = parseRunConfig(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).config);
  const sft = (JSON.parse(readFileSync(join(run, 'stages.json'), 'utf8')).completed as { stage: string; outDir: string }[]).find((s) => s.stage === 'sft');
  if (!sft) throw new Error(`${run} has no completed SFT stage`);
  const trajs = readFileSync(join(run, 'trajectories.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Trajectory).filter((t) => /-it1$/.test(t.policy));
  if (!trajs.length) throw new Error(`${run} keeps no first-iteration RL rollouts`);
  for (const lr of lrs.length ? lrs.map(Number) : [c.ppo.lr]) {
    const { model: policy, tok } = await loadModel(sft.outDir);
    const reference = policy.clone();
    const valueHead = createValueHead(policy.config, { seed: `value#${c.seed}` }); // as the RL stage makes it
    const rows = ppoRows(tok, stepRewardsFor({ ...c, method: c.method === 'grpo' ? 'ppo' : c.method }, null, trajs), { ...viewOptions(c), multiplier: c.reward.stepRewardMultiplier });
    const { L, inputs, targets, mask } = packRows(rows.map((r) => ({ tokens: r.tokens, targetMask: [0, ...r.mask] })), tok.special.pad);
    const logProbs = () => forwardRows({ inputs, targets, B: rows.length, L }, ROWS_PER_PASS, (x, y) => [policy.logProbsOf(x, y, c.ppo.temperature)])[0] as Float32Array;
    const before = logProbs();
    const p = { ...c.ppo, miniBatchUnit: rowsFlag ? ('row' as const) : c.ppo.miniBatchUnit };
    ppoUpdate(policy, valueHead, reference, tf.train.adam(lr), new AdaptiveKLController(p.klInit, p.klTarget, p.klHorizon), tok, rows, { ...p, seed: c.seed * 1000 });
    const after = logProbs();
    let sum = 0;
    let n = 0;
    mask.forEach((m, i) => {
      if (!m) return;
      sum += ((after[i] as number) - (before[i] as number)) ** 2;
      n++;
    });
    console.log(`${c.env} ${c.method} seed ${c.seed}, lr ${lr}, minibatches of ${p.miniBatchSize} ${p.miniBatchUnit === 'row' ? 'rows' : 'trajectories'}: ${rows.length} rows, ${n} action tokens, 0.5·mean (Δ log π)² = ${(0.5 * sum / n).toFixed(3)}`);
    [policy, reference, valueHead].forEach((m) => m.dispose());
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
