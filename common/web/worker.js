// The playground's worker: it owns the engine (the chapters' lesson code compiled to
// WebAssembly) and one training session, so that training never holds up the page.
//
// This file is not loaded on its own: the build appends it to the emscripten output inside
// `function playgroundWorker() { … }` (engine.js), and playground.js starts that function's
// text as a Blob worker. So `createPlaygroundModule` is in scope here, and everything declared
// here is local to that function (and to the closure below, so that no name of ours can meet
// one of the emscripten output's).
//
// The messages (each carries `type`):
//
//   page → worker
//     reset  {generation, command, settings, view}  a new session (the old one is deleted);
//            view = {regionGrid, hiddenGrid, unitsShown}: the sizes the page draws
//     step   {command, n}  train n iterations, then one frame
//     run    {command}     train in chunks until pause, done or an error, frames as it goes
//     pause  {command}     stop after the current chunk, then one frame
//     drawn  {}            the page has drawn a frame: the next one may be sent
//
//   worker → page
//     hello   {dataSets: [{name, label, defaults}]}  the engine is loaded
//     session {generation, error, classes, points, labels, bounds, hiddenUnits}
//             what stays fixed during a session (after each reset)
//     frame   {generation, command, from, costs, iteration, accuracy, done, error, running,
//              regions, hidden, unitsShown, regionGrid, hiddenGrid}
//             costs = J of iterations from … iteration − 1, the ones the page has not seen
//     fatal   {message}  the engine did not load or threw: the playground cannot go on
//
// `generation` names a session: frames of a session the page has since reset are dropped.
// `command` names the page's latest step/run/pause: the page trusts `running` only from a
// frame that answers it.

(function () {
  'use strict';

  // A run trains in chunks of at most this much work, so that a pause is seen within it.
  const CHUNK_MS = 25;
  // Frames go out at most this often (30 a second) and only once the page drew the last one: a
  // busy or hidden page gets fewer frames, never a queue of them. The costs are never lost: a
  // frame carries every cost since the last frame the page got.
  const FRAME_MS = 1000 / 30;
  // The shortest chunk: below it the hand-overs between chunks would cost more than the work.
  const MIN_CHUNK_MS = 4;
  // The most iterations of a chunk: the engine keeps only its latest 32768 costs, and the
  // worker takes them after every chunk.
  const MAX_CHUNK = 10000;

  let engine = null;      // the loaded Module
  let session = null;     // the Module.Session being trained
  let generation = 0;     // the page's name of that session
  let command = 0;        // the page's latest step/run/pause
  let view = null;        // {regionGrid, hiddenGrid, unitsShown}
  let running = false;
  let sent = 0;           // the page holds the costs of iterations 0 … sent − 1
  let taken = 0;          // the worker holds those of sent … taken − 1, in `unsent`
  let unsent = [];        // Float64Arrays: the engine keeps only its latest costs, so each
                          // chunk's are taken at once, even while the page draws no frames
  let lastFrameAt = -Infinity;
  let pageDrawing = false;  // a frame is out that the page has not drawn yet
  let msPerIteration = 0;  // measured cost of one iteration: the size of the next chunk
  let lastChunk = 0;       // iterations in the last chunk

  // A chunk is handed over to the next through a MessageChannel, not setTimeout, which Chrome
  // holds back by 4 ms after a few nested calls. The page's messages (pause!) are handled in
  // between, in arrival order.
  const tick = new MessageChannel();
  tick.port1.onmessage = function () {
    try {
      runChunk();
    } catch (error) {
      fail(error);
    }
  };

  // A typed array the message can take over without copying: embind may hand back a view into
  // the WebAssembly memory, which can be neither transferred nor kept; that one is copied.
  function owned(array, transfers) {
    const own = array.byteOffset === 0 && array.byteLength === array.buffer.byteLength;
    if (!own) array = array.slice();
    transfers.push(array.buffer);
    return array;
  }

  // The first `shown` units' maps, one after another (unit-major). The engine gives them
  // point-major: for each grid point, each of the n_h units (an n_h × n² Armadillo matrix).
  function unitMaps(all, unitCount, shown, pointCount) {
    const maps = new Float64Array(shown * pointCount);
    for (let u = 0; u < shown; ++u)
      for (let g = 0; g < pointCount; ++g) maps[u * pointCount + g] = all[g * unitCount + u];
    return maps;
  }

  // The costs the engine has that the worker has not taken yet.
  function takeCosts() {
    const costs = session.costs(taken);
    if (costs.length === 0) return;
    unsent.push(costs.slice());
    taken += costs.length;
  }

  // Every cost taken and not sent, in one array.
  function unsentCosts() {
    const costs = new Float64Array(taken - sent);
    let at = 0;
    for (const part of unsent) {
      costs.set(part, at);
      at += part.length;
    }
    unsent = [];
    return costs;
  }

  // What the page draws: new costs, the read-outs, the maps.
  function sendFrame() {
    const s = session, transfers = [];
    takeCosts();
    const costs = unsentCosts();
    transfers.push(costs.buffer);
    const units = s.hiddenUnits(), shown = Math.min(units, view.unitsShown);
    const t2 = view.hiddenGrid * view.hiddenGrid;
    const hidden = shown > 0 ? unitMaps(s.hidden(view.hiddenGrid), units, shown, t2)
                           : new Float64Array(0);
    transfers.push(hidden.buffer);
    const frame = {
      type: 'frame', generation: generation, command: command,
      from: sent, costs: costs, iteration: s.iteration(), accuracy: s.accuracy(),
      done: s.done(), error: s.error(), running: running,
      regions: owned(s.regions(view.regionGrid), transfers), regionGrid: view.regionGrid,
      hidden: hidden, unitsShown: shown, hiddenGrid: view.hiddenGrid,
    };
    sent += costs.length;
    postMessage(frame, transfers);
    lastFrameAt = performance.now();
    pageDrawing = true;
  }

  // One chunk of a run: as many iterations as fit before the next frame is due (at most
  // CHUNK_MS of work), then a frame if one is due, then the next chunk after the page's messages.
  function runChunk() {
    if (!running) return;
    const now = performance.now();
    const due = pageDrawing ? Infinity : lastFrameAt + FRAME_MS;
    const budget = Math.min(CHUNK_MS, Math.max(MIN_CHUNK_MS, due - now));
    // until one iteration has been timed, one; then never more than 4 times the last chunk, as
    // a timer that reads 0 for a short chunk would otherwise ask for a huge one
    let n = msPerIteration > 0 ? Math.floor(budget / msPerIteration) : 1;
    n = Math.max(1, Math.min(n, 4 * lastChunk + 1, MAX_CHUNK));
    const before = session.iteration(), start = performance.now();
    const going = session.step(n);
    const trained = session.iteration() - before, ms = performance.now() - start;
    takeCosts();
    if (trained > 0) {
      // timers in a worker are coarse (0.1 ms): a chunk is timed as a whole
      const measured = Math.max(ms, 0.05) / trained;
      msPerIteration = msPerIteration > 0 ? 0.7 * msPerIteration + 0.3 * measured : measured;
      lastChunk = trained;
    }
    if (!going) {  // done, or an error: the frame tells the page which
      running = false;
      sendFrame();
      return;
    }
    if (performance.now() >= due - 1) sendFrame();
    tick.port2.postMessage(null);
  }

  function reset(message) {
    running = false;
    if (session) session.delete();
    session = new engine.Session(message.settings);
    generation = message.generation;
    command = message.command;
    view = message.view;
    sent = 0;
    taken = 0;
    unsent = [];
    msPerIteration = 0;
    lastChunk = 0;
    pageDrawing = false;
    const error = session.error();
    if (error) {  // a setting the engine refuses: nothing to draw
      postMessage({ type: 'session', generation: generation, error: error });
      return;
    }
    const transfers = [];
    postMessage({
      type: 'session', generation: generation, error: '', classes: session.classes(),
      points: owned(session.points(), transfers), labels: owned(session.labels(), transfers),
      bounds: owned(session.bounds(), transfers), hiddenUnits: session.hiddenUnits(),
    }, transfers);
    sendFrame();  // iteration 0: the maps of the initial weights
  }

  function handle(message) {
    if (message.type === 'drawn') {
      pageDrawing = false;
      return;
    }
    if (message.type === 'reset') return reset(message);
    if (!session || session.error()) return;
    command = message.command;
    if (message.type === 'step' && !running) {
      session.step(message.n);
      sendFrame();
    } else if (message.type === 'run' && !running) {
      running = true;
      tick.port2.postMessage(null);
    } else if (message.type === 'pause') {
      running = false;
      sendFrame();  // the last costs, and `running: false` for this command
    }
  }

  function fail(error) {
    running = false;
    postMessage({ type: 'fatal', message: String(error && error.message || error) });
  }

  self.onmessage = function (event) {
    try {
      handle(event.data);
    } catch (error) {
      fail(error);
    }
  };

  createPlaygroundModule().then(function (Module) {
    engine = Module;
    const names = Array.from(Module.dataSets());
    postMessage({
      type: 'hello',
      dataSets: names.map(function (name) {
        return { name: name, label: Module.label(name),
                 defaults: Object.assign({}, Module.defaults(name)) };
      }),
    });
  }).catch(fail);
})();
