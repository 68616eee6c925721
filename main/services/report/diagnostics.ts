/** The report's "why" per environment: what SPA's result rests on, and where evaluation episodes go wrong. */
import { FAILURE_COLUMNS } from './failure-modes';
import type { RunResult } from './run-results';
import { mean, meanStd, numPm, pctPm, stageMean, stageValues } from './stats';

/**
 * What SPA's result rests on, so a reader can see why it wins or not: how much signal the
 * estimator had (successful explorations), how well it fits against predicting zero, and what
 * RL did to the training success rate.
 */
export function diagnostics(of: (m: string) => RunResult[]): string[] {
  const spa = of('spa');
  if (!spa.length) return [];
  const explored = stageMean(spa, 'explore', 'explore/success_rate');
  const exploredReward = stageMean(spa, 'explore', 'explore/episodic_return');
  const trainMse = stageMean(spa, 'estimator', 'progress/mse', 'last');
  const trainCorr = stageMean(spa, 'estimator', 'progress/oracle_corr', 'last');
  const zeroRef = meanStd(spa.flatMap((r) => (r.zeroPredictorMse === null ? [] : [r.zeroPredictorMse])));
  const out = ['', 'What the SPA result rests on:'];
  // WebShop's graded reward gives the estimator signal beyond the successes; where R is 0/1 the mean is the rate again.
  const graded = exploredReward.n > 0 && Math.abs(exploredReward.mean - explored.mean) > 1e-9;
  if (explored.n) out.push(`- exploration (the estimator's only data): ${pctPm(explored)}% of rollouts succeeded${graded ? `; mean final reward ${numPm(exploredReward)}` : ''}.`);
  if (trainMse.n) out.push(`- the estimator on its training set: MSE(Σ c_t, R) ${numPm(trainMse)}, oracle correlation ${numPm(trainCorr)}.`);
  if (zeroRef.n) out.push(`- for scale: predicting Σ c_t = 0 for every evaluation trajectory scores MSE = mean R², ${numPm(zeroRef)} (${graded ? 'R is the graded final reward' : 'with R in {0, 1}, the success rate'}).`);
  // Per seed: the offsets can differ in sign, which a mean over seeds would hide.
  const fits = [...spa].sort((a, b) => a.entry.seed - b.entry.seed).flatMap((r) => (r.heldOutFit ? [{ seed: r.entry.seed, ...r.heldOutFit }] : []));
  if (fits.length) {
    const list = (f: (x: (typeof fits)[number]) => string) => fits.map(f).join(', ');
    out.push(
      `- where the held-out MSE comes from, per seed (${list((x) => String(x.seed))}): the mean of Σ c_t − R over the evaluation episodes, an offset shared by every episode, is ${list((x) => (x.bias >= 0 ? '+' : '−') + Math.abs(x.bias).toFixed(3))}; the correlation of Σ c_t with R (ranking) is ${list((x) => x.sumCorr.toFixed(2))}.`,
    );
  }
  for (const m of ['spa', 'ppo', 'grpo']) {
    const series = of(m)
      .map((r) => stageValues(r, 'rl', 'charts/success_rate'))
      .filter((v) => v.length > 1);
    if (!series.length) continue;
    const first = meanStd(series.map((v) => v[0] as number));
    const last = meanStd(series.map((v) => v[v.length - 1] as number));
    const overall = meanStd(series.map(mean));
    // How far RL moved the policy, and whether the critic had learnt anything to baseline with.
    // PPO logs the summed KL per training sequence (its adaptive controller's input); GRPO its loss's per-token KL.
    const [klKey, klUnit] = m === 'grpo' ? ['losses/kl', 'per token'] : ['charts/mean_kl', 'per training sequence'];
    const kl = stageMean(of(m), 'rl', klKey, 'last');
    const ev = stageMean(of(m), 'rl', 'losses/explained_variance', 'last');
    const moved = [kl.n ? `KL estimate to the SFT policy ${numPm(kl)} nats ${klUnit}` : '', ev.n ? `critic explained variance ${numPm(ev, 2)}` : ''].filter(Boolean).join(', ');
    out.push(`- ${m}: training-rollout success ${pctPm(first)}% at the first RL iteration → ${pctPm(last)}% at the last (mean over iterations ${pctPm(overall)}%)${moved ? `; at the last iteration: ${moved}` : ''}.`);
  }
  return out;
}

/** Where each method's evaluation episodes go wrong, mean ± std over seeds (failure-modes.ts). */
export function failureTable(methods: readonly string[], of: (m: string) => RunResult[]): string[] {
  const rows = methods
    .map((m) => ({ m, profiles: of(m).flatMap((r) => (r.failures ? [r.failures] : [])) }))
    .filter(({ profiles }) => profiles.length > 0);
  if (!rows.length) return [];
  const out = [
    '',
    'Where the evaluation episodes go wrong (both splits; an episode is solved, finished by the agent unsolved, or out of steps; turns are shares of all evaluation turns, and the last two columns of the turns that follow an executed action or a failed turn, which shows whether the agent recovers from a failure):',
    '',
    `| method | ${FAILURE_COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `|---|${FAILURE_COLUMNS.map(() => '---').join('|')}|`,
  ];
  for (const { m, profiles } of rows) out.push(`| ${m} | ${FAILURE_COLUMNS.map(([key]) => pctPm(meanStd(profiles.map((p) => p[key])))).join(' | ')} |`);
  return out;
}
