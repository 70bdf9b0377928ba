// The playground of a chapter page: the chapter's own lesson code, compiled to WebAssembly,
// trains a small network in the reader's browser while the page shows what it learns.
//
// Every <div class="playground" data-data="NAME"> on the page gets one, opened on data set
// NAME at its chapter's settings. This script builds the controls and the pictures; the
// training runs in a Web Worker (worker.js, which owns the engine), so that the page stays
// responsive however long a run is. draw.js draws; engine.js, loaded before, defines
// playgroundWorker(), the worker's whole program.
//
// For the browser test (tests/browser/playground_test.mjs) and anyone curious, the element
// gets `element.playground`: costs (J before each iteration, index = iteration), iteration,
// accuracy, running, ready, error, done, fps and iterationsPerSecond (of the latest run, from
// its Run to now or to its end), defaults (each data set's settings, by name).

(function () {
  'use strict';

  // What the page asks the worker to draw: the regions on a regionGrid² grid, the hidden
  // units on hiddenGrid² (the first unitsShown of them; a hundred thumbnails say no more).
  const VIEW = { regionGrid: 90, hiddenGrid: 36, unitsShown: 16 };
  const THUMBNAIL_CSS = 64;  // a thumbnail's side on the page, in CSS pixels

  // The worker's program is the function engine.js defines; a Worker cannot load a file://
  // URL in Chromium, but it can load a Blob of the function's text. One Blob serves every
  // playground of the page.
  let workerURL = null;
  function startWorker() {
    if (typeof playgroundWorker !== 'function')
      throw new Error('playground/engine.js did not load, so there is nothing to train with');
    if (!workerURL) {
      const program = '(' + playgroundWorker.toString() + ')()';
      workerURL = URL.createObjectURL(new Blob([program], { type: 'text/javascript' }));
    }
    return new Worker(workerURL);
  }

  // <tag attributes…>children…</tag>
  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const name in attributes || {}) node.setAttribute(name, attributes[name]);
    for (const child of children || [])
      node.append(child);
    return node;
  }

  // Text that changes only when it differs: read-outs are rewritten 30 times a second, and a
  // screen reader announces every change of the status line.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  // A control's value as a number; a problem (thrown) when it is none.
  function number(control, what, whole) {
    const text = control.value.trim(), value = Number(text);
    if (text === '' || !Number.isFinite(value))
      throw new Error(what + ': a number, please');
    if (whole && !Number.isInteger(value))
      throw new Error(what + ': a whole number, please');
    return value;
  }

  class Playground {
    constructor(root) {
      this.root = root;
      root.playground = this;
      // what the test and the read-outs look at
      this.costs = [];
      this.iteration = 0;
      this.accuracy = 0;
      this.running = false;
      this.ready = false;
      this.error = '';
      this.done = false;
      this.fps = 0;
      this.iterationsPerSecond = 0;
      this.defaults = {};
      // the conversation with the worker
      this.loaded = false;      // the engine said hello
      this.generation = 0;      // the session the page shows (frames of older ones are dropped)
      this.command = 0;         // the latest step/run/pause/reset
      this.session = null;      // what stays fixed in a session: points, labels, bounds…
      this.frame = null;        // the latest frame's maps
      this.framesToAck = 0;     // frames received and not yet drawn
      this.drawPending = false;
      this.problem = '';        // a control that does not hold a valid value
      this.run = null;          // {start, end, iteration, frames, open}: the latest run
      this.build();
      try {
        this.worker = startWorker();
      } catch (error) {
        this.fail(error.message);
        return;
      }
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.fail('the worker stopped: ' + event.message);
      };
    }

    // The controls, the buttons, the read-outs and the three pictures.
    build() {
      const root = this.root;
      root.textContent = '';
      const c = this.controls = {
        data: element('select', { name: 'data' }),
        hidden: element('input', { name: 'hidden', type: 'number', min: '0', step: '1' }),
        activation: element('select', { name: 'activation' }),
        rate: element('input', { name: 'rate', type: 'number', min: '0', step: 'any' }),
        lambda: element('input', { name: 'lambda', type: 'number', min: '0', step: 'any' }),
        seed: element('input', { name: 'seed', type: 'number', min: '0', step: '1' }),
      };
      const field = (text, control) => element('label', { class: 'pg-field' },
                                                [element('span', {}, [text]), control]);
      const form = element('form', { class: 'pg-controls' }, [
        field('Data set', c.data), field('Hidden units', c.hidden),
        field('Activation', c.activation), field('Learning rate α', c.rate),
        field('λ (L2 penalty)', c.lambda), field('Seed', c.seed)]);
      form.addEventListener('submit', (event) => event.preventDefault());
      for (const control of Object.values(c)) control.disabled = true;  // until the engine is in
      // a data set opens at its chapter's settings; any other change starts a new session
      c.data.addEventListener('change', () => this.loadDefaults(c.data.value));
      for (const name of ['hidden', 'activation', 'rate', 'lambda', 'seed'])
        c[name].addEventListener('change', () => this.reset());

      const button = (action, text, title) =>
        element('button', { type: 'button', 'data-action': action, title: title }, [text]);
      this.buttons = {
        step: button('step', 'Step', 'Train one iteration (one epoch for XOR)'),
        run: button('run', 'Run', 'Train until Pause, or until the training ends by itself'),
        pause: button('pause', 'Pause', 'Stop training; Run goes on from here'),
        reset: button('reset', 'Reset', 'Start again from iteration 0 with these settings'),
      };
      this.status = element('span', { class: 'pg-status', 'aria-live': 'polite' });
      const bar = element('div', { class: 'pg-buttons' },
                          Object.values(this.buttons).concat([this.status]));
      bar.addEventListener('click', (event) => {
        const target = event.target.closest('[data-action]');
        if (target && !target.disabled) this.act(target.dataset.action);
      });
      const note = element('p', { class: 'pg-note' }, [
        'Each data set opens at its chapter\u2019s settings. A changed setting takes effect at ' +
        'once: training starts again from iteration 0. Reset starts again with the same ' +
        'settings (the same seed gives the same run).']);

      const out = (name) => element('dd', { 'data-out': name });
      this.out = { iteration: out('iteration'), cost: out('cost'), accuracy: out('accuracy'),
                   speed: out('speed') };
      const readout = (text, dd, wide) => element('div', wide ? { class: 'pg-wide' } : {},
                                                  [element('dt', {}, [text]), dd]);
      const readouts = element('dl', { class: 'pg-readouts' }, [
        readout('Iteration', this.out.iteration), readout('Cost J', this.out.cost),
        readout('Training accuracy, %', this.out.accuracy),
        readout('Speed of the latest run', this.out.speed, true)]);

      this.mapCanvas = element('canvas', { class: 'pg-map', role: 'img',
        'aria-label': 'Decision regions over the plane, with the training points' });
      this.costCanvas = element('canvas', { class: 'pg-cost', role: 'img',
        'aria-label': 'The cost J at each iteration' });
      this.errorLine = element('p', { class: 'pg-error', role: 'alert', hidden: '' });
      this.thumbs = element('div', { class: 'pg-thumbs' });
      this.thumbCaption = element('figcaption', {}, []);
      root.append(form, bar, note, this.errorLine,
        element('div', { class: 'pg-views' }, [
          element('figure', { class: 'pg-regions' }, [this.mapCanvas, element('figcaption', {}, [
            'Decision regions: each point of the plane in the colour of the class the network ' +
            'picks, paler where it is less sure; the training points on top.'])]),
          element('div', { class: 'pg-side' }, [readouts, element('figure', {}, [
            this.costCanvas, element('figcaption', {}, ['The cost J before each iteration.'])])]),
        ]),
        element('figure', { class: 'pg-hidden' }, [this.thumbCaption, this.thumbs]));
      PlaygroundDraw.message(this.mapCanvas, 'Loading the engine\u2026');
      PlaygroundDraw.costs(this.costCanvas, []);
      this.update();
    }

    receive(message) {
      if (message.type === 'hello') this.hello(message);
      else if (message.type === 'fatal') this.fail('the engine failed: ' + message.message);
      else if (message.generation !== this.generation) return;  // of a session since reset
      else if (message.type === 'session') this.startSession(message);
      else if (message.type === 'frame') this.takeFrame(message);
    }

    // The engine is in: fill the lists and open the data set the page asks for.
    hello(message) {
      const c = this.controls;
      for (const d of message.dataSets) {
        this.defaults[d.name] = d.defaults;
        c.data.append(element('option', { value: d.name }, [d.label]));
      }
      for (const control of Object.values(c)) control.disabled = false;
      this.loaded = true;
      const wanted = this.root.dataset.data;
      if (wanted && !(wanted in this.defaults))
        console.warn('playground: no data set "' + wanted + '"; opening the first one');
      this.loadDefaults(wanted in this.defaults ? wanted : message.dataSets[0].name);
    }

    loadDefaults(name) {
      const c = this.controls, d = this.defaults[name];
      c.data.value = name;
      c.hidden.min = String(d.minHidden);  // 0 where the model may have no hidden layer
      c.hidden.value = d.hidden;
      // the hidden units this chapter's model can have
      c.activation.replaceChildren(
          ...d.activations.map((g) => element('option', { value: g }, [g])));
      c.activation.value = d.activation;
      c.rate.value = d.learningRate;
      c.lambda.value = d.lambda;
      c.seed.value = d.seed;
      c.lambda.disabled = !d.lambdaApplies;  // only where the model has an L2 term
      c.lambda.title = c.lambda.disabled ? 'This chapter\u2019s model has no L2 penalty' : '';
      this.reset();
    }

    // The settings the controls hold, in the engine's names; throws when one is not valid.
    settings() {
      const c = this.controls, data = c.data.value, d = this.defaults[data];
      return {
        data: data,
        hidden: number(c.hidden, 'Hidden units', true),
        activation: c.activation.value,
        learningRate: number(c.rate, 'Learning rate', false),
        lambda: c.lambda.disabled ? d.lambda : number(c.lambda, '\u03bb', false),
        seed: number(c.seed, 'Seed', true),
      };
    }

    // A new session from the controls: iteration 0, paused.
    reset() {
      if (!this.loaded) return;
      this.generation += 1;
      this.command += 1;
      this.running = false;
      this.costs = [];
      this.iteration = 0;
      this.accuracy = 0;
      this.done = false;
      this.error = '';
      this.session = null;  // the old pictures stay until the new session's first frame
      this.run = null;
      this.problem = '';
      let settings;
      try {
        settings = this.settings();
      } catch (problem) {
        this.problem = problem.message;
        // the worker may be running the old session: stop it (its frames are dropped)
        this.worker.postMessage({ type: 'pause', command: this.command });
        PlaygroundDraw.message(this.mapCanvas, 'Waiting for valid settings');
        this.update();
        return;
      }
      this.worker.postMessage({ type: 'reset', generation: this.generation,
                                command: this.command, settings: settings, view: VIEW });
      this.update();
    }

    // A button. The worker handles messages in order, so a Run right after a Reset trains
    // the new session.
    act(action) {
      if (action === 'reset') return this.reset();
      if (!this.canTrain() && action !== 'pause') return;
      this.command += 1;
      if (action === 'step') {
        this.worker.postMessage({ type: 'step', command: this.command, n: 1 });
      } else if (action === 'run') {
        this.running = true;
        this.run = { start: performance.now(), iteration: this.iteration, frames: 0, open: true };
        this.worker.postMessage({ type: 'run', command: this.command });
      } else if (action === 'pause') {
        this.running = false;
        this.worker.postMessage({ type: 'pause', command: this.command });
      }
      this.update();
    }

    canTrain() {
      return this.loaded && !this.problem && !this.error && !this.done;
    }

    // What stays fixed in a session; or the engine's word on a setting it refuses.
    startSession(message) {
      if (message.error) {
        this.error = message.error;
        this.running = false;
        PlaygroundDraw.message(this.mapCanvas, 'The engine refused these settings');
        this.update();
        return;
      }
      this.session = message;
      this.frame = null;
      const units = message.hiddenUnits, shown = Math.min(units, VIEW.unitsShown);
      this.thumbs.textContent = '';
      this.thumbCanvases = [];
      for (let u = 0; u < shown; ++u) {
        const canvas = element('canvas', { role: 'img', 'aria-label': 'hidden unit ' + (u + 1) });
        this.thumbCanvases.push(canvas);
        this.thumbs.append(canvas);
      }
      this.thumbCaption.textContent = units === 0 ? 'This model has no hidden layer.'
        : 'Hidden units' + (shown < units ? ' (the first ' + shown + ' of ' + units + ')' : '') +
          ': each unit\u2019s activation over the same plane, purple below 0, white at 0, ' +
          'green above, each scaled to its own largest value.';
    }

    // A frame: the new costs and read-outs now, the pictures at the next animation frame.
    takeFrame(frame) {
      if (frame.from !== this.costs.length) {
        this.fail('costs out of step: the page has ' + this.costs.length +
                  ', the frame starts at ' + frame.from);
        return;
      }
      for (const J of frame.costs) this.costs.push(J);
      this.iteration = frame.iteration;
      this.accuracy = frame.accuracy;
      this.done = frame.done;
      if (frame.error) this.error = frame.error;
      // `running` from the worker only once it has seen the page's latest command
      const answered = frame.command === this.command;
      if (answered) this.running = frame.running;
      if (this.run && this.run.open) {
        const seconds = (performance.now() - this.run.start) / 1000;
        if (seconds > 0) this.iterationsPerSecond = (this.iteration - this.run.iteration) / seconds;
        if (answered && !frame.running) {  // the run's last frame
          this.run.open = false;
          this.run.end = performance.now();
        }
      }
      this.frame = frame;
      this.framesToAck += 1;
      this.update();
      if (!this.drawPending) {
        this.drawPending = true;
        requestAnimationFrame(() => this.draw());
      }
    }

    draw() {
      this.drawPending = false;
      const f = this.frame, s = this.session;
      if (f && s) {
        PlaygroundDraw.regions(this.mapCanvas, { regions: f.regions, n: f.regionGrid,
          classes: s.classes, bounds: s.bounds, points: s.points, labels: s.labels });
        const t2 = f.hiddenGrid * f.hiddenGrid;
        for (let u = 0; u < f.unitsShown && u < this.thumbCanvases.length; ++u) {
          const range = PlaygroundDraw.unit(this.thumbCanvases[u], f.hidden, u * t2, f.hiddenGrid,
                                            THUMBNAIL_CSS);
          this.thumbCanvases[u].title = 'unit ' + (u + 1) + ': from ' + range[0].toPrecision(3) +
                                        ' to ' + range[1].toPrecision(3);
        }
        this.ready = true;
      }
      PlaygroundDraw.costs(this.costCanvas, this.costs);
      if (this.run && this.run.open) {
        this.run.frames += 1;
        this.fps = this.run.frames / ((performance.now() - this.run.start) / 1000);
      }
      if (this.framesToAck > 0) {  // the worker may send the next frame
        this.framesToAck = 0;
        this.worker.postMessage({ type: 'drawn' });
      }
      this.update();
    }

    // The read-outs, the buttons' states, the status and the error line.
    update() {
      const J = this.costs.length ? this.costs[this.costs.length - 1] : null;
      setText(this.out.iteration, String(this.iteration));
      setText(this.out.cost, J === null ? '' : String(Number(J.toPrecision(6))));
      setText(this.out.accuracy, this.session ? this.accuracy.toFixed(2) : '');
      // a run over within half a second (XOR's) is too short to time
      const r = this.run, tooShort = r && !r.open && r.end - r.start < 500;
      setText(this.out.speed, !r ? 'no run yet' : tooShort ? 'too short a run to time'
        : Math.round(this.iterationsPerSecond) + ' iterations/s, ' + Math.round(this.fps) +
          ' frames drawn/s');
      const b = this.buttons, trainable = this.canTrain();
      b.step.disabled = !trainable || this.running;
      b.run.disabled = !trainable || this.running;
      b.pause.disabled = !this.running;
      b.reset.disabled = !this.loaded;
      setText(this.status, !this.loaded ? (this.error ? '' : 'loading the engine\u2026')
        : this.running ? 'running' : this.done ? 'done: the training ended by itself'
        : this.error || this.problem ? 'stopped' : this.iteration > 0 ? 'paused' : 'ready');
      const shown = this.problem || this.error;
      setText(this.errorLine, shown);
      this.errorLine.hidden = !shown;
    }

    // Something the playground cannot go on from: said on the page and in the console.
    fail(message) {
      this.error = message;
      this.running = false;
      this.loaded = false;
      if (this.worker) this.worker.terminate();
      for (const control of Object.values(this.controls)) control.disabled = true;
      console.error('playground: ' + message);
      if (!this.ready) PlaygroundDraw.message(this.mapCanvas, 'The playground cannot run here');
      this.update();
    }
  }

  function start() {
    for (const root of document.querySelectorAll('.playground'))
      if (!root.playground) new Playground(root);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
