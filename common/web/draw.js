// The playground's drawing: the decision regions with the data on top, one hidden unit's map,
// the cost curve. Plain canvas; the functions only draw what they are given (playground.js
// keeps the state), so that a map is drawn the same way whatever asked for it.
//
// Grids come from the engine as n × n points over bounds = [x1_lo, x1_hi, x2_lo, x2_hi], both
// ends included, x1 varying fastest and x2 going from lo to hi, that is from the bottom of the
// picture up.

var PlaygroundDraw = (function () {
  'use strict';

  // Okabe and Ito's palette, told apart by colour-blind readers: blue and orange for two
  // classes, then bluish green for a third.
  const CLASS_COLOURS = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [213, 94, 0],
                         [86, 180, 233], [204, 121, 167], [240, 228, 66]];
  // A hidden unit's activation: purple below 0, white at 0, green above (ColorBrewer's PRGn,
  // also safe for colour-blind readers, and unlike the classes' colours).
  const NEGATIVE = [118, 42, 131], ZERO = [247, 247, 247], POSITIVE = [27, 120, 55];
  const INK = '#222', GRID_INK = '#ddd', CURVE = 'rgb(0, 114, 178)';
  const FONT = '11px "DejaVu Sans", Verdana, sans-serif';

  function classColour(k) {
    return CLASS_COLOURS[k % CLASS_COLOURS.length];
  }

  function css(rgb) {
    return 'rgb(' + rgb[0] + ', ' + rgb[1] + ', ' + rgb[2] + ')';
  }

  function mix(a, b, t) {  // (1 − t)·a + t·b, per channel
    return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
  }

  // A canvas `width` × `height` CSS pixels with a backing store at the screen's resolution, so
  // that lines and text stay sharp; its context draws in CSS pixels.
  function fit(canvas, width, height) {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(width * ratio), h = Math.round(height * ratio);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
      canvas.style.aspectRatio = width + ' / ' + height;
    }
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    return context;
  }

  // Round numbers between lo and hi, about `count` of them: steps of 1, 2 or 5 × 10^k.
  function ticks(lo, hi, count) {
    if (!(hi > lo)) return [lo];
    const rough = (hi - lo) / count, decade = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = decade * (rough / decade >= 5 ? 5 : rough / decade >= 2 ? 2 : 1);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
      out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  }

  function label(v) {
    if (v === 0) return '0';
    const a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
    return String(Number(v.toPrecision(4)));
  }

  // The image of an n × n grid, one pixel per point, the top row being x2's highest: drawn
  // scaled (and smoothed) over the plot, each pixel centred on its point.
  function gridImage(canvas, n, colourAt) {
    const image = canvas._gridImage || (canvas._gridImage = document.createElement('canvas'));
    if (image.width !== n) image.width = image.height = n;
    const context = image.getContext('2d'), pixels = context.createImageData(n, n);
    for (let row = 0; row < n; ++row) {
      const j = n - 1 - row;  // grid row j holds x2 = lo + j·step: the top row is j = n − 1
      for (let i = 0; i < n; ++i) {
        const rgb = colourAt(j * n + i), p = 4 * (row * n + i);
        pixels.data[p] = rgb[0];
        pixels.data[p + 1] = rgb[1];
        pixels.data[p + 2] = rgb[2];
        pixels.data[p + 3] = 255;
      }
    }
    context.putImageData(pixels, 0, 0);
    return image;
  }

  function drawGridImage(context, image, n, x, y, size) {
    // a pixel spans half a grid step either side of its point: the image reaches half a step
    // beyond the plot on every side, and the plot clips it
    const half = size / (n - 1) / 2;
    context.save();
    context.beginPath();
    context.rect(x, y, size, size);
    context.clip();
    context.imageSmoothingEnabled = true;
    context.drawImage(image, x - half, y - half, size + 2 * half, size + 2 * half);
    context.restore();
  }

  // One marker per class, so that the classes differ in shape as well as in colour.
  function marker(context, k, x, y, r) {
    context.beginPath();
    switch (k % 4) {
      case 0: context.arc(x, y, r, 0, 2 * Math.PI); break;
      case 1:
        context.moveTo(x, y - 1.25 * r);
        context.lineTo(x + 1.1 * r, y + 0.75 * r);
        context.lineTo(x - 1.1 * r, y + 0.75 * r);
        context.closePath();
        break;
      case 2: context.rect(x - 0.9 * r, y - 0.9 * r, 1.8 * r, 1.8 * r); break;
      default:
        context.moveTo(x, y - 1.3 * r);
        context.lineTo(x + 1.3 * r, y);
        context.lineTo(x, y + 1.3 * r);
        context.lineTo(x - 1.3 * r, y);
        context.closePath();
    }
    context.fill();
    context.stroke();
  }

  function axes(context, x, y, size, bounds, names) {
    context.strokeStyle = INK;
    context.lineWidth = 1;
    context.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
    context.fillStyle = INK;
    context.font = FONT;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const v of ticks(bounds[0], bounds[1], 5)) {
      const px = x + (v - bounds[0]) / (bounds[1] - bounds[0]) * size;
      context.fillRect(px - 0.5, y + size, 1, 4);
      context.fillText(label(v), px, y + size + 5);
    }
    context.fillText(names[0], x + size / 2, y + size + 18);
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const v of ticks(bounds[2], bounds[3], 5)) {
      const py = y + size - (v - bounds[2]) / (bounds[3] - bounds[2]) * size;
      context.fillRect(x - 4, py - 0.5, 4, 1);
      context.fillText(label(v), x - 6, py);
    }
    context.save();
    context.translate(x - 30, y + size / 2);
    context.rotate(-Math.PI / 2);
    context.textAlign = 'center';
    context.fillText(names[1], 0, 0);
    context.restore();
  }

  // The decision regions: each grid point takes the colour of its likeliest class, paler the
  // nearer its probability is to a toss-up (1/K), white-ish on the boundary itself; then the
  // training points on top in their class's full colour.
  // map: {regions (K·n², per point the K probabilities), n, classes, bounds, points, labels}
  const REGION_LAYOUT = { left: 44, top: 8, size: 320, right: 10, bottom: 36 };
  function regions(canvas, map) {
    const L = REGION_LAYOUT, width = L.left + L.size + L.right, height = L.top + L.size + L.bottom;
    const context = fit(canvas, width, height);
    const K = map.classes, n = map.n, P = map.regions, b = map.bounds;
    const white = [255, 255, 255];
    const image = gridImage(canvas, n, function (g) {
      let best = 0;
      for (let k = 1; k < K; ++k) if (P[g * K + k] > P[g * K + best]) best = k;
      const sure = (P[g * K + best] - 1 / K) / (1 - 1 / K);  // 0 at a toss-up, 1 when certain
      return Number.isFinite(sure) ? mix(white, classColour(best), 0.12 + 0.5 * sure) : white;
    });
    drawGridImage(context, image, n, L.left, L.top, L.size);
    const m = map.labels.length, r = m <= 20 ? 6 : 3.2;
    context.lineWidth = 0.8;
    context.strokeStyle = 'rgba(0, 0, 0, 0.75)';
    for (let j = 0; j < m; ++j) {
      const x = L.left + (map.points[2 * j] - b[0]) / (b[1] - b[0]) * L.size;
      const y = L.top + L.size - (map.points[2 * j + 1] - b[2]) / (b[3] - b[2]) * L.size;
      context.fillStyle = css(classColour(map.labels[j]));
      marker(context, map.labels[j], x, y, r);
    }
    axes(context, L.left, L.top, L.size, b, ['x₁', 'x₂']);
  }

  // One hidden unit's activation over the plane, from `values[offset … offset + t² − 1]`,
  // scaled by its largest magnitude (its range is returned, for the thumbnail's title).
  function unit(canvas, values, offset, t, cssSize) {
    const context = fit(canvas, cssSize, cssSize);
    let lo = Infinity, hi = -Infinity;
    for (let g = 0; g < t * t; ++g) {
      const v = values[offset + g];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const image = gridImage(canvas, t, function (g) {
      const v = values[offset + g] / scale;
      if (!Number.isFinite(v)) return [255, 255, 255];
      return v < 0 ? mix(ZERO, NEGATIVE, -v) : mix(ZERO, POSITIVE, v);
    });
    drawGridImage(context, image, t, 0, 0, cssSize);
    return [lo, hi];
  }

  // The round values 1, 2, 5 × 10^k from the one at or below lo to the one at or above hi
  // (two at least).
  function logSteps(lo, hi) {
    const out = [];
    for (let decade = Math.pow(10, Math.floor(Math.log10(lo))); ; decade *= 10) {
      for (const m of [1, 2, 5]) {
        const v = Number((m * decade).toPrecision(3));
        if (v <= lo) out.length = 0;  // only the last one at or below lo stays
        out.push(v);
        if (v >= hi && out.length > 1) return out;
      }
    }
  }

  // The cost J against the iteration: on a log scale when every J is positive (the
  // cross-entropy is), where the slow late descent is still visible. A curve longer than the
  // plot is wide is drawn as each pixel column's lowest and highest J.
  const COST_LAYOUT = { left: 52, top: 10, width: 310, height: 170, right: 12, bottom: 38 };
  function costs(canvas, J) {
    const L = COST_LAYOUT;
    const context = fit(canvas, L.left + L.width + L.right, L.top + L.height + L.bottom);
    let lo = Infinity, hi = -Infinity;
    for (const v of J) if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const log = lo > 0;
    let yTicks;
    if (lo > hi) {  // nothing yet
      lo = 0.1;
      hi = 1;
    }
    if (log) {
      // from the round value just below the lowest J to the one just above the highest, ticks
      // at each (at the decades only, when the range spans more than three decades)
      const steps = logSteps(lo, hi);
      lo = steps[0];
      hi = steps[steps.length - 1];
      const decade = (v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
      yTicks = hi / lo > 1000 ? steps.filter(decade) : steps;
    } else {
      yTicks = ticks(lo, hi, 4);
      if (hi === lo) hi = lo + 1;
    }
    const yOf = log ? function (v) { return Math.log10(v / lo) / Math.log10(hi / lo); }
                    : function (v) { return (v - lo) / (hi - lo); };
    const py = function (v) { return L.top + L.height * (1 - yOf(v)); };
    const xMax = Math.max(J.length - 1, 10);
    const px = function (i) { return L.left + i / xMax * L.width; };

    context.font = FONT;
    context.fillStyle = INK;
    context.strokeStyle = GRID_INK;
    context.lineWidth = 1;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const v of yTicks) {
      const y = Math.round(py(v)) + 0.5;
      context.beginPath();
      context.moveTo(L.left, y);
      context.lineTo(L.left + L.width, y);
      context.stroke();
      context.fillText(label(v), L.left - 5, y);
    }
    context.textAlign = 'center';
    context.textBaseline = 'top';
    // as many iteration ticks as have room for their labels
    let xTicks;
    for (let count = 6; count >= 2; --count) {
      xTicks = ticks(0, xMax, count);
      const widest = Math.max.apply(null, xTicks.map((v) => context.measureText(label(v)).width));
      if ((widest + 12) * xTicks.length <= L.width) break;
    }
    for (const v of xTicks) {
      const x = Math.round(px(v)) + 0.5;
      context.fillRect(x - 0.5, L.top + L.height, 1, 4);
      context.fillText(label(v), x, L.top + L.height + 5);
    }
    context.fillText('iteration', L.left + L.width / 2, L.top + L.height + 20);
    context.save();
    context.translate(12, L.top + L.height / 2);
    context.rotate(-Math.PI / 2);
    context.textBaseline = 'middle';
    context.fillText(log ? 'cost J (log scale)' : 'cost J', 0, 0);
    context.restore();
    context.strokeStyle = INK;
    context.strokeRect(L.left + 0.5, L.top + 0.5, L.width - 1, L.height - 1);

    context.save();
    context.beginPath();
    context.rect(L.left, L.top, L.width, L.height);
    context.clip();
    context.strokeStyle = CURVE;
    context.lineWidth = 1.5;
    context.beginPath();
    let pen = false;
    const line = function (x, v) {
      if (!Number.isFinite(v) || (log && v <= 0)) {
        pen = false;  // a gap where the cost diverged
        return;
      }
      if (pen) context.lineTo(x, py(v));
      else context.moveTo(x, py(v));
      pen = true;
    };
    if (J.length <= 2 * L.width) {
      for (let i = 0; i < J.length; ++i) line(px(i), J[i]);
    } else {
      for (let c = 0; c < L.width; ++c) {
        const from = Math.floor(c / L.width * J.length);
        const to = Math.floor((c + 1) / L.width * J.length);
        let a = Infinity, b = -Infinity;
        for (let i = from; i < to; ++i) {
          if (J[i] < a) a = J[i];
          if (J[i] > b) b = J[i];
        }
        line(L.left + c + 0.5, b);
        line(L.left + c + 0.5, a);
      }
    }
    context.stroke();
    context.restore();
  }

  // Only words where a picture would be (no data yet, or a setting the engine refused).
  function message(canvas, text) {
    const L = REGION_LAYOUT, width = L.left + L.size + L.right, height = L.top + L.size + L.bottom;
    const context = fit(canvas, width, height);
    context.font = FONT;
    context.fillStyle = INK;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(text, width / 2, height / 2);
  }

  return { classColour: classColour, css: css, regions: regions, unit: unit, costs: costs,
           message: message };
})();
