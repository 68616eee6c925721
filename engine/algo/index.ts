/** The SPA-RL algorithm pieces; see README.md for the flags and where each lives. */
export * from './flags';
export * from './reward-fusion';
export * from './token-rewards';
export * from './gae';
export * from './kl-controller';
export * from './grpo';
export * from './losses';
