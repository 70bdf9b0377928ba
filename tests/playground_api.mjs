// The playground's engine as anyone who loads it sees it: every entry point checks its arguments
// before converting them. Settings a session cannot train with come back from error(), a call
// whose argument is refused throws a TypeError or RangeError; either way the message is one line
// naming the argument, the session trains on as if the refused call had not been made, and the
// WebAssembly memory stays bounded, however large the request or however long the run.
// Usage: node playground_api.mjs ENGINE_MODULE_JS
import { createRequire } from 'node:module';

const [engineFile] = process.argv.slice(2);
if (!engineFile) {
  console.error('usage: node playground_api.mjs ENGINE_MODULE_JS');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const Module = await require(engineFile)();

// The heap may hold a map's answer and a block of its work, never a map's whole work at once.
const HEAP_BOUND = 128 * 1024 * 1024;

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'pass' : 'FAIL'}  ${what}`);
  if (!ok) failures += 1;
}

// A message as promised: text, one line, naming `name`.
function oneLine(message, name) {
  return typeof message === 'string' && message !== '' && !message.includes('\n') &&
         message.includes(name);
}

function heapBounded(after) {
  check(Module.HEAP8.length <= HEAP_BOUND,
        `after ${after}: the heap is ${Module.HEAP8.length} bytes (at most ${HEAP_BOUND})`);
}

// The settings' error() of a new session: '' when it can train.
function settingsError(settings) {
  let session;
  try {
    session = new Module.Session(settings);
  } catch (thrown) {
    return { thrown };
  }
  const error = session.error();
  session.delete();
  return { error };
}

for (const [settings, name, shows, text] of [
  [undefined, 'settings', 'undefined', 'undefined'],
  [null, 'settings', 'null', 'null'],
  [{ data: 'flowers' }, 'data set', '"flowers"', 'data: "flowers"'],
  [{ data: 'spiral', hidden: 1e10 }, 'hidden units', '10000000000', 'hidden: 1e10'],
  [{ data: 'spiral', hidden: NaN }, 'hidden units', 'NaN', 'hidden: NaN'],
  [{ data: 'flower', hidden: 2.5 }, 'hidden units', '2.5', 'hidden: 2.5'],
  [{ data: 'flower', hidden: '5' }, 'hidden units', '"5"', 'hidden: "5"'],
  [{ data: 'flower', learningRate: NaN }, 'learning rate', 'NaN', 'learningRate: NaN'],
  [{ data: 'flower', seed: 2 ** 40 }, 'seed', '1099511627776', 'seed: 2^40'],
  [{ data: 'flower', activation: 3 }, 'activation', '3', 'activation: 3'],
  [{ data: 'flower', learning_rate: 3 }, 'learning_rate', 'learning_rate', 'learning_rate: 3'],
]) {
  const { thrown, error } = settingsError(settings);
  check(thrown === undefined && oneLine(error, name) && error.includes(shows),
        `{${text}}: error() "${error}", thrown ${thrown}, one line naming ${name} and ${shows}`);
}

// A call that must be refused: it throws an Error (not a number, not an allocator's words) whose
// message is one line naming the call.
function refused(call, name, what) {
  let thrown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  check(thrown instanceof Error && oneLine(thrown.message, name) &&
        !/allocat|exceeds maximum/.test(thrown.message),
        `${what}: refused with "${thrown && thrown.message || thrown}"`);
}

// The costs of `steps` iterations of a session, and the session's error() then.
function train(session, steps) {
  session.step(steps);
  return { costs: Array.from(session.costs(0)), error: session.error() };
}

// A session that was refused trains exactly as a session that was not.
function trainsOn(settings, session, steps, what) {
  const refusedRun = train(session, steps);
  const fresh = new Module.Session(settings), plainRun = train(fresh, steps);
  fresh.delete();
  check(refusedRun.error === '' && refusedRun.costs.length === steps &&
        refusedRun.costs.every((J, i) => J === plainRun.costs[i]),
        `${what}: then ${steps} steps give the costs of a session without them ` +
        `(J = ${refusedRun.costs[steps - 1]} and ${plainRun.costs[steps - 1]}, ` +
        `error "${refusedRun.error}")`);
}

// The data sets' names and defaults, asked for a set there is none of.
refused(() => Module.label(123), 'label(name)', 'label(123)');
refused(() => Module.label('nope'), 'label(name)', 'label("nope")');
refused(() => Module.defaults(undefined), 'defaults(name)', 'defaults(undefined)');
check(Module.label('xor') === 'XOR (chapter 3)', `label("xor") is "${Module.label('xor')}"`);

// The spiral with 1000 hidden units: its regions on the finest grid, computed a block at a time;
// all its units' maps on that grid (160 million numbers) refused before anything is allocated.
{
  const settings = { data: 'spiral', hidden: 1000 }, session = new Module.Session(settings);
  let regions;
  try {
    regions = session.regions(400);
  } catch (error) {
    regions = error;
  }
  check(regions instanceof Float64Array && regions.length === 3 * 400 * 400,
        `spiral, 1000 units: regions(400) gives 3 × 400² probabilities (${regions.length})`);
  refused(() => session.hidden(400), 'hidden(n)', 'spiral, 1000 units: hidden(400)');
  heapBounded('regions(400) and hidden(400) with 1000 units');
  refused(() => session.regions(401), 'regions(n)', 'regions(401)');
  refused(() => session.regions(2.5), 'regions(n)', 'regions(2.5)');
  refused(() => session.hidden('36'), 'hidden(n)', 'hidden("36")');
  trainsOn(settings, session, 5, 'spiral, 1000 units, after the refused maps');
  session.delete();
}

// The flower: steps and costs whose arguments make no sense.
{
  const settings = { data: 'flower' }, session = new Module.Session(settings);
  for (const n of [-1, 0, 3e9, NaN, Infinity, 1.5])
    refused(() => session.step(n), 'step(n)', `step(${n})`);
  refused(() => session.step('10'), 'step(n)', 'step("10")');
  refused(() => session.costs(-1), 'costs(from)', 'costs(-1)');
  refused(() => session.costs(1), 'costs(from)', 'costs(1) at iteration 0');
  heapBounded('the refused steps');
  trainsOn(settings, session, 50, 'flower, after the refused steps');
  session.delete();
}

// An endless run keeps the latest costs only (32768 of them): after 40 000 iterations the first
// ones are forgotten, and asking for them is refused; the latest are still there.
{
  const session = new Module.Session({ data: 'flower', hidden: 1 });
  while (session.iteration() < 40000 && session.step(10000)) {}
  check(session.iteration() === 40000 && session.error() === '',
        `flower, 1 unit: ${session.iteration()} iterations, error "${session.error()}"`);
  const latest = session.costs(session.iteration() - 100);
  check(latest.length === 100 && latest.every(Number.isFinite),
        `the latest 100 costs are kept (${latest.length})`);
  refused(() => session.costs(0), 'costs(from)', 'costs(0) after 40 000 iterations');
  heapBounded('40 000 iterations');
  session.delete();
}

console.log(failures ? `${failures} check(s) failed` : 'every check passed');
process.exit(failures ? 1 : 0);
