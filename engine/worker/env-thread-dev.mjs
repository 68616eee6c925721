// Entry of the environment thread in a checkout: registers tsx in this thread (a worker thread
// does not inherit the parent's --import hooks on Node 20), then runs the TypeScript entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
