// The playground's engine (the lessons compiled to WebAssembly) on the workloads bench_cpp times
// natively: chapter 2's and chapter 9's 1000 iterations at their defaults, run by Node.js's V8,
// the JavaScript engine of Chromium too. Prints one JSON line per workload, as bench_cpp does.
// Usage: node playground.mjs ENGINE_MODULE_JS REPEATS
import { createRequire } from 'node:module';

const [engineFile, repeatsText] = process.argv.slice(2);
const repeats = Math.max(1, Number(repeatsText) || 3);
const Module = await createRequire(import.meta.url)(engineFile)();

for (const [workload, data] of [['flower_1000', 'flower'], ['spiral_1000', 'spiral']]) {
  const seconds = [];
  for (let r = 0; r < repeats; ++r) {
    const session = new Module.Session({ data });
    const start = performance.now();
    session.step(1000);
    seconds.push((performance.now() - start) / 1000);
    if (session.error()) throw new Error(session.error());
    session.delete();
  }
  console.log(JSON.stringify({ workload, impl: 'wasm', precision: 'float64', seconds }));
}
