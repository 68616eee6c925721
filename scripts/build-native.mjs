#!/usr/bin/env node
// Builds the optional native matMul addon (engine/native/) into build/native/spa_native.node.
// Run by `npm install` (postinstall) and by hand: `npm run build:native` (or `node scripts/build-native.mjs`).
//
// No node-gyp: it would download Node's headers, and these machines reach no network but the
// npm registry. The Node-API headers come from the pinned `node-api-headers` package and the C
// compiler is invoked directly. -march=native is right because the addon is built on the
// machine that runs it (a copied build/ may SIGILL elsewhere: rebuild there).
//
// This script must never fail an install: whatever goes wrong (no compiler, no headers, an
// unsupported platform, a compile error, a smoke test that crashes) it prints one line and
// exits 0, and the wasm backend simply runs without the addon (engine/backend.ts says why).
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'build', 'native');
const out = path.join(outDir, 'spa_native.node');
const sources = ['sgemm.c', 'transpose.c', 'fused.c', 'addon.c'].map((f) => path.join(root, 'engine', 'native', f));

function skip(why) {
  // A binary left by an earlier build would be older than these sources: what runs is what this build says.
  try {
    rmSync(out, { force: true });
  } catch {
    // best effort
  }
  console.log(`spa native addon: not built (${why}); training uses plain wasm`);
  process.exit(0);
}

function compile(cc, args) {
  const r = spawnSync(cc, args, { encoding: 'utf8' });
  return r.error ? r.error.message : r.status === 0 ? null : (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
}

try {
  if (process.env.SPA_NATIVE_BUILD === '0') skip('SPA_NATIVE_BUILD=0');
  // Windows would need node.lib to link against; not worth it for an optional speed-up.
  if (process.platform === 'win32') skip('Windows is not supported');
  let include;
  try {
    include = path.join(path.dirname(createRequire(import.meta.url).resolve('node-api-headers/package.json')), 'include');
  } catch {
    skip('the node-api-headers package is not installed');
  }
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) skip(`no C compiler (${cc})`);

  mkdirSync(outDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const common = ['-shared', '-fPIC', '-O3', '-std=gnu11', `-I${include}`, '-o', tmp, ...sources, '-lm'];
  // Node resolves the napi_* symbols when it loads the addon; macOS's linker must be told so.
  if (process.platform === 'darwin') common.push('-undefined', 'dynamic_lookup');
  // -march=native for the vector width (AVX-512/AVX2); a compiler that rejects it gets the baseline.
  let error = compile(cc, ['-march=native', ...common]);
  if (error) error = compile(cc, common);
  if (error) skip(`compile failed: ${error.slice(0, 300)}`);

  // Smoke test in a child process, so that a crash (an illegal instruction, a bad symbol) shows
  // here rather than in a training run: [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50], [1 2; 3 4]ᵀ = [1 3; 2 4].
  // process.dlopen, not require: require would read a '.tmp' file as JavaScript.
  const smoke = `const m={exports:{}};process.dlopen(m,${JSON.stringify(tmp)});const a=m.exports;` +
    `const h=new Float32Array([1,2,3,4,5,6,7,8,0,0,0,0,0,0,0,0]);a.sgemm(h.buffer,0,16,32,1,2,2,2,0,0,0,0);a.transpose(h.buffer,0,48,1,2,2,1);` +
    `if(h.slice(8).join()!=='19,22,43,50,1,3,2,4')throw new Error('wrong result '+h.slice(8).join())`;
  const test = spawnSync(process.execPath, ['-e', smoke], { encoding: 'utf8' });
  if (test.status !== 0) {
    rmSync(tmp, { force: true });
    skip(`smoke test failed: ${test.signal ?? (test.stderr.match(/^\w*Error.*$/m)?.[0] || test.stderr.trim().slice(0, 200))}`);
  }
  renameSync(tmp, out); // atomic: a process loading the addon never sees half a file
  const isa = spawnSync(process.execPath, ['-p', `require(${JSON.stringify(out)}).isa`], { encoding: 'utf8' }).stdout.trim();
  console.log(`spa native addon: built ${path.relative(root, out)} (${isa})`);
} catch (e) {
  skip(e instanceof Error ? e.message.split('\n')[0] : String(e));
}
