// The neurotrace viewer: plain JavaScript and SVG, no library, no network.
// Every number comes from the JSON block #nt-data, written by neurotrace.viewer.page.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("nt-data").textContent);
  // The texts (events, explanations) come gzip-compressed: inflate them, then start.
  if (typeof DecompressionStream === "undefined") {
    document.getElementById("event").textContent = "This browser is too old for this page " +
      "(it lacks DecompressionStream); use a current Chrome, Edge, Firefox or Safari.";
    return;
  }
  const bytes = Uint8Array.from(atob(data.texts), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then((text) => {
    const texts = JSON.parse(text);
    data.steps.forEach((s, k) => {
      s.events = texts.events[k].map(([phase, node, line, r]) => [phase, node, line, texts.reveals[r]]);
      s.explain = texts.explain[k];
    });
    start(data);
  });

function start(D) {
  const SVGNS = "http://www.w3.org/2000/svg";
  const POS = "#2166ac", NEG = "#b2182b", ZERO = "#888888";   // as network_graph
  const MAX_EDGES = 200;                                       // as network_graph
  const sizes = D.sizes, nLayers = sizes.length - 1;
  const $ = (sel) => document.querySelector(sel);

  const GLOSSARY = {
    x: "input: what a neuron reads (an input x_i, or the output a of a neuron of the layer before)",
    w: "weight: multiplies one input; z = Σ x_i·w_i + b",
    b: "bias: added to the weighted sum",
    z: "pre-activation: z = Σ x_i·w_i + b",
    a: "activation (the neuron's output): a = f(z)",
    dL_da: "upstream gradient dL/da: how the loss changes with a; the sum of what the successors send back (or the loss's gradient at the output)",
    da_dz: "local derivative f'(z) = da/dz of the activation at z",
    delta: "delta δ = dL/dz = dL/da · f'(z)",
    dL_dw: "weight gradient dL/dw = δ · x (summed over the samples of a batch)",
    dL_db: "bias gradient dL/db = δ (summed over the samples of a batch)",
    sent: "δ·w: the error this neuron sends back to a predecessor",
    y: "target: the output the loss compares a with",
    loss: "the loss of this step (a batch's mean unless its definition says otherwise)",
  };
  const SYMBOL = { z: "z", a: "a", dL_da: "dL/da", da_dz: "f'(z)", delta: "δ", b: "b" };

  // --- numbers ---------------------------------------------------------------------------
  function num(v) { return typeof v === "string" ? Number(v) : v; }
  // Python's repr of a float: the shortest string that reads back as the same bits.
  function repr(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    return String(x);
  }
  // Python's format(x, ".4g"): 4 significant digits, scientific below 1e-4 and from 1e4.
  function fmt(x, digits) {
    digits = digits || 4;
    if (x === null || x === undefined) return "?";
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return "0";
    const [mant, expText] = x.toExponential(digits - 1).split("e");
    const exp = Number(expText);
    if (exp < -4 || exp >= digits) {
      const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
      return m + "e" + (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
    }
    const s = x.toFixed(Math.max(0, digits - 1 - exp));
    return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  }
  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const color = (v) => (v === null || v === undefined || !Number.isFinite(v) || v === 0) ? ZERO : (v > 0 ? POS : NEG);

  // Blocks of float64 numbers, base64 of their little-endian bytes: decoded once, exact.
  const decoded = new Map();
  function block(ref) {
    if (!ref) return null;
    let data = decoded.get(ref.r);
    if (!data) {
      const bin = atob(D.blobs[ref.r]);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const view = new DataView(bytes.buffer);
      data = new Float64Array(bin.length / 8);
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat64(8 * i, true);
      decoded.set(ref.r, data);
    }
    return { data: data, shape: ref.shape };
  }
  // A neuron's value of a (n,) or (n_samples, n) block; a parameter of a (n, n_in) block.
  function pick(ref, j, sample) {
    const b = block(ref);
    if (!b) return null;
    if (b.shape.length === 1) return b.data[j];
    return b.data[sample * b.shape[b.shape.length - 1] + j];
  }
  function param(ref, j, i) {
    const b = block(ref);
    return b ? b.data[j * b.shape[1] + i] : null;
  }

  // --- names ---------------------------------------------------------------------------
  const nodeName = (l, j) => `L${l + 1}.N${j}`;             // l: 0-based layer
  const predName = (l, i) => (l === 0 ? `x${i}` : nodeName(l - 1, i));
  function parseNode(name) {
    const m = /^L(\d+)\.N(\d+)$/.exec(name);
    return m ? { l: Number(m[1]) - 1, j: Number(m[2]) } : null;
  }

  // --- state ---------------------------------------------------------------------------
  const steps = D.steps;
  const state = { si: 0, ev: steps[0].events.length - 1, sample: 0, sel: "L1.N0", edge: null,
                  q: "b", playing: null };
  const positions = new Map();   // step index -> {phase: {node: event index}}
  function eventIndex(si) {
    let p = positions.get(si);
    if (!p) {
      p = { forward: {}, loss: {}, backward: {}, update: {} };
      steps[si].events.forEach(([phase, node], k) => { (p[phase] || (p[phase] = {}))[node] = k; });
      positions.set(si, p);
    }
    return p;
  }
  // Has this phase of this node happened at the current event? (No such event: yes.)
  function done(phase, node) {
    const k = eventIndex(state.si)[phase][node];
    return k === undefined || state.ev >= k;
  }
  // The event that first makes each quantity of each node known (its "reveals").
  const revealed = new Map();   // step index -> {node: {quantity: event index}}
  function revealIndex(si) {
    let r = revealed.get(si);
    if (!r) {
      r = {};
      steps[si].events.forEach((e, k) => {
        for (const [node, names] of Object.entries(e[3] || {})) {
          const m = r[node] || (r[node] = {});
          for (const q of names) if (!(q in m)) m[q] = k;
        }
      });
      revealed.set(si, r);
    }
    return r;
  }
  // Is quantity q of node known at the current event? Named by the events' values:
  // z, a, dL_da, da_dz, delta, grad_weights, grad_bias, weights_after, sent:x0, ...
  function known(node, q) {
    const k = (revealIndex(state.si)[node] || {})[q];
    if (k !== undefined) return state.ev >= k;
    return done(phaseOf(q), node);
  }
  const S = () => steps[state.si];
  const batch = () => S().n !== null && S().n !== undefined;
  const sample = () => (batch() ? Math.min(state.sample, S().n - 1) : 0);

  // --- layout --------------------------------------------------------------------------
  const W = 900;
  const compact = Math.max(...sizes.slice(1)) > 12;
  const gridInputs = sizes[0] > 16;
  const boxW = 104, boxH = 50;
  const tallest = Math.max(...sizes.slice(1), gridInputs ? 0 : sizes[0]);
  const H = compact ? Math.max(420, Math.min(640, tallest * 18 + 60)) : Math.max(260, tallest * 64 + 70);
  const nCols = nLayers + 2;
  const colX = (c) => 60 + c * (W - 150) / (nCols - 1);
  const layout = { inputs: [], layers: [], loss: null, cell: 0 };
  (function place() {
    const top = 40, bottom = H - 20;
    const spread = (n, x, gap) => {
      const step = Math.min(gap, (bottom - top) / n);
      const y0 = (top + bottom) / 2 - step * (n - 1) / 2;
      return Array.from({ length: n }, (_, k) => ({ x: x, y: y0 + k * step }));
    };
    if (gridInputs) {
      const cols = Math.ceil(Math.sqrt(sizes[0])), rows = Math.ceil(sizes[0] / cols);
      const cell = Math.min(20, (bottom - top) / rows);
      layout.cell = cell;
      const x0 = colX(0) - cols * cell / 2, y0 = (top + bottom) / 2 - rows * cell / 2;
      for (let i = 0; i < sizes[0]; i++) {
        const r = Math.floor(i / cols), c = i % cols;
        layout.inputs.push({ x: x0 + c * cell, y: y0 + r * cell, cx: x0 + cols * cell, cy: y0 + r * cell + cell / 2 });
      }
    } else {
      layout.inputs = spread(sizes[0], colX(0), 64).map((p) => ({ x: p.x, y: p.y, cx: p.x + 18, cy: p.y }));
    }
    for (let l = 0; l < nLayers; l++) layout.layers.push(spread(sizes[l + 1], colX(l + 1), compact ? 40 : 64));
    layout.loss = { x: colX(nCols - 1), y: (top + bottom) / 2 };
  })();
  const half = compact ? 7 : boxW / 2;      // half a node's width

  // Which weight edges to draw: all up to 200, else the top-k by |w| into each neuron.
  function chooseEdges() {
    const total = sizes.slice(0, -1).reduce((acc, n, l) => acc + n * sizes[l + 1], 0);
    const receivers = sizes.slice(1).reduce((a, b) => a + b, 0);
    const topK = total > MAX_EDGES ? Math.max(1, Math.floor(MAX_EDGES / receivers)) : null;
    const edges = [];
    let kept = 0;
    for (let l = 0; l < nLayers; l++) {
      const ref = (S().layers[l] || {}).w;
      for (let j = 0; j < sizes[l + 1]; j++) {
        let inputs = Array.from({ length: sizes[l] }, (_, i) => i);
        if (topK !== null && ref && inputs.length > topK) {
          inputs = inputs.map((i) => [Math.abs(param(ref, j, i)), i])
            .sort((p, q) => q[0] - p[0] || p[1] - q[1]).slice(0, topK).map((p) => p[1]).sort((p, q) => p - q);
        }
        for (const i of inputs) edges.push({ l: l, j: j, i: i });
        kept += inputs.length;
      }
    }
    const note = kept < total ? `showing ${kept} of ${total} edges, top-${topK} by |w| into each neuron ` +
      `(click a neuron to see all its weights)` : "";
    return { edges: edges, note: note };
  }

  // --- the network picture ---------------------------------------------------------------
  function drawNetwork() {
    const s = S(), k = sample(), out = [];
    const current = state.ev >= 0 ? s.events[state.ev] : null;
    const nowNode = current ? current[1] : null;
    const { edges, note } = chooseEdges();
    $("#edge-note").textContent = note + (gridInputs ? (note ? "; " : "") +
      `the ${sizes[0]} inputs drawn as an 8×8 grid (darker = larger)` : "");
    // Edges first, under the nodes. Width ~ |w| within the layer, colour = sign of w.
    const biggest = [];
    for (let l = 0; l < nLayers; l++) {
      const b = block((s.layers[l] || {}).w);
      biggest.push(b ? b.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0) : 0);
    }
    const [low, high] = compact ? [0.4, 2.0] : [0.6, 4.0];
    for (const e of edges) {
      const ref = (s.layers[e.l] || {}).w;
      const w = ref ? param(ref, e.j, e.i) : null;
      const from = e.l === 0 ? layout.inputs[e.i] : layout.layers[e.l - 1][e.i];
      const x1 = e.l === 0 ? from.cx : from.x + half, y1 = e.l === 0 ? from.cy : from.y;
      const to = layout.layers[e.l][e.j];
      const width = w !== null && biggest[e.l] > 0 ? low + (high - low) * Math.abs(w) / biggest[e.l] : 1;
      const name = `${predName(e.l, e.i)}->${nodeName(e.l, e.j)}`;
      const sel = state.edge === name ? " selected" : "";
      const line = `x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${(to.x - half).toFixed(1)}" y2="${to.y.toFixed(1)}"`;
      out.push(`<line class="edge${sel}" data-edge="${name}" ${line} stroke="${color(w)}" ` +
        `stroke-width="${width.toFixed(2)}"${compact ? ' stroke-opacity="0.6"' : ""}><title>${name}: w = ${fmt(w)}</title></line>`);
      out.push(`<line class="hit" data-hit="${name}" ${line} stroke="transparent" stroke-width="8"></line>`);
    }
    // Output neurons to the loss.
    const L = nLayers - 1;
    for (let j = 0; j < sizes[L + 1]; j++) {
      const p = layout.layers[L][j];
      out.push(`<line class="edge" data-edge="${nodeName(L, j)}->loss" x1="${(p.x + half).toFixed(1)}" y1="${p.y.toFixed(1)}" ` +
        `x2="${(layout.loss.x - 34).toFixed(1)}" y2="${layout.loss.y.toFixed(1)}" stroke="#999" stroke-dasharray="4 3" stroke-width="1"></line>`);
    }
    // Inputs.
    const xref = (s.layers[0] || {}).x;
    const xb = block(xref);
    let lo = Infinity, hi = -Infinity;
    if (xb) for (let i = 0; i < sizes[0]; i++) { const v = pick(xref, i, k); lo = Math.min(lo, v); hi = Math.max(hi, v); }
    for (let i = 0; i < sizes[0]; i++) {
      const p = layout.inputs[i], v = xb ? pick(xref, i, k) : null, name = `x${i}`;
      const sel = state.sel === name ? " selected" : "";
      if (gridInputs) {
        const shade = v === null ? 255 : Math.round(255 * (1 - (v - lo) / (hi > lo ? hi - lo : 1)));
        out.push(`<rect class="node pixel${sel}" data-node="${name}" x="${p.x.toFixed(1)}" y="${p.y.toFixed(1)}" ` +
          `width="${layout.cell}" height="${layout.cell}" fill="rgb(${shade},${shade},${shade})"><title>${name} = ${fmt(v)}</title></rect>`);
      } else {
        out.push(`<g class="node input${sel}" data-node="${name}"><circle cx="${p.x}" cy="${p.y.toFixed(1)}" r="18" fill="#f0f0f0"></circle>` +
          `<text x="${p.x}" y="${(p.y - 3).toFixed(1)}" text-anchor="middle">${name}</text>` +
          `<text class="value" x="${p.x}" y="${(p.y + 10).toFixed(1)}" text-anchor="middle">${fmt(v, 3)}</text>` +
          `<title>input ${name} = ${fmt(v)}</title></g>`);
      }
    }
    // Neurons.
    for (let l = 0; l < nLayers; l++) {
      const lay = s.layers[l] || {};
      for (let j = 0; j < sizes[l + 1]; j++) {
        const name = nodeName(l, j), p = layout.layers[l][j];
        const fwd = known(name, "z"), fwdA = known(name, "a"), bwd = known(name, "delta");
        const z = fwd ? pick(lay.z, j, k) : null, a = fwdA ? pick(lay.a, j, k) : null;
        const d = bwd ? pick(lay.delta, j, k) : null;
        const cls = "node neuron" + (fwd ? "" : " pending") + (nowNode === name ? " now" : "") + (state.sel === name ? " selected" : "");
        const fill = l < nLayers - 1 ? "#fff5e0" : "#e8f4e8";
        const tip = `${name} (${D.activations[l]}): z = ${fwd ? fmt(z) : "not yet computed"}, a = ${fwdA ? fmt(a) : "not yet computed"}, ` +
          `δ = ${bwd ? fmt(d) : "not yet computed"}`;
        if (compact) {
          out.push(`<g class="${cls}" data-node="${name}"><circle class="body" cx="${p.x}" cy="${p.y.toFixed(1)}" r="7" fill="${fill}"></circle>` +
            `<title>${esc(tip)}</title></g>`);
        } else {
          const show = (v, ok) => (ok ? (v === null ? "—" : fmt(v, 3)) : "…");
          const shownA = show(a, fwdA);
          out.push(`<g class="${cls}" data-node="${name}"><rect class="body" x="${p.x - boxW / 2}" y="${(p.y - boxH / 2).toFixed(1)}" ` +
            `width="${boxW}" height="${boxH}" rx="8" fill="${fwd ? fill : "#fafafa"}"></rect>` +
            `<text x="${p.x}" y="${(p.y - 10).toFixed(1)}" text-anchor="middle" font-weight="bold">${name}</text>` +
            `<text class="value" x="${p.x}" y="${(p.y + 4).toFixed(1)}" text-anchor="middle">z ${show(z, fwd)}  a ${shownA}</text>` +
            `<text class="value" x="${p.x}" y="${(p.y + 17).toFixed(1)}" text-anchor="middle">δ ${show(d, bwd)}</text>` +
            `<title>${esc(tip)}</title></g>`);
        }
      }
      if (compact) {
        const p = layout.layers[l][0];
        out.push(`<text x="${p.x}" y="${(p.y - 14).toFixed(1)}" text-anchor="middle" font-size="11">L${l + 1} (${sizes[l + 1]}, ${D.activations[l]})</text>`);
      }
    }
    // The loss.
    const lossDone = known("loss", "loss");
    const lp = layout.loss, lossValue = lossDone ? num(s.loss) : null;
    out.push(`<g class="node loss${lossDone ? "" : " pending"}${nowNode === "loss" ? " now" : ""}${state.sel === "loss" ? " selected" : ""}" data-node="loss">` +
      `<rect class="body" x="${lp.x - 34}" y="${lp.y - 24}" width="68" height="48" rx="14" fill="${lossDone ? "#fde0dd" : "#fafafa"}"></rect>` +
      `<text x="${lp.x}" y="${lp.y - 6}" text-anchor="middle" font-weight="bold">loss</text>` +
      `<text class="value" x="${lp.x}" y="${lp.y + 10}" text-anchor="middle">${lossDone ? fmt(lossValue, 3) : "…"}</text>` +
      `<title>${s.loss_name || ""} loss: ${lossDone ? fmt(lossValue) : "not yet computed"}</title></g>`);
    const net = $("#net");
    net.setAttribute("viewBox", `0 0 ${W} ${H}`);
    net.innerHTML = out.join("");
  }

  // --- the inspector ---------------------------------------------------------------------
  function row(q, label, title, value, ok, extra) {
    const chosen = state.q === q || state.q === `update:${q}` ? " chosen" : "";
    if (!ok) {
      return `<tr data-quantity="${q}" data-state="not-yet" class="${chosen}"><td><span class="sym" title="${esc(title)}">${label}</span></td>` +
        `<td class="notyet" colspan="3">not yet computed</td></tr>`;
    }
    if (value === null || value === undefined) {
      return `<tr data-quantity="${q}" data-state="not-recorded" class="${chosen}"><td><span class="sym" title="${esc(title)}">${label}</span></td>` +
        `<td class="notyet" colspan="3">not recorded</td></tr>`;
    }
    return `<tr data-quantity="${q}" data-value="${repr(value)}" class="${chosen}"><td><span class="sym" title="${esc(title)}">${label}</span></td>` +
      `<td class="${value > 0 ? "pos" : value < 0 ? "neg" : ""}">${fmt(value)}</td>${extra || ""}</tr>`;
  }
  function part(name, value, ok) {
    if (!ok) return `<td data-part="${name}" class="notyet">not yet</td>`;
    if (value === null || value === undefined) return `<td data-part="${name}" class="notyet">—</td>`;
    return `<td data-part="${name}" data-value="${repr(value)}">${fmt(value)}</td>`;
  }
  function drawInspector() {
    const s = S(), k = sample(), name = state.sel, panel = $("#inspector");
    panel.setAttribute("data-node", name || "");
    if (!name) { panel.innerHTML = '<p class="hint">Click a neuron to inspect it.</p>'; return; }
    const where = `step ${s.id}` + (batch() ? `, sample ${k} of ${s.n}` : "");
    if (name === "loss") {
      const ok = known("loss", "loss"), L = nLayers - 1, y = s.y ? block(s.y) : null;
      let rows = row("loss", "L", GLOSSARY.loss, num(s.loss), ok);
      for (let j = 0; j < sizes[L + 1]; j++) {
        rows += row(`y${j}`, `y${j}`, GLOSSARY.y, y ? pick(s.y, j, k) : null, true);
      }
      panel.innerHTML = `<h2>loss <small>(${esc(s.loss_name || "?")}), ${where}</small></h2><table class="q">${rows}</table>`;
      return;
    }
    const input = /^x(\d+)$/.exec(name);
    if (input) {
      const i = Number(input[1]);
      const v = pick((s.layers[0] || {}).x, i, k);
      panel.innerHTML = `<h2>${name} <small>input, ${where}</small></h2><table class="q">` +
        row("x", "x", GLOSSARY.x, v, true) + `</table>`;
      return;
    }
    const { l, j } = parseNode(name), lay = s.layers[l] || {};
    const bwd = known(name, "grad_weights"), upd = known(name, "weights_after");
    let html = `<h2>${name} <small>${D.activations[l]}, ${l === nLayers - 1 ? "output" : "hidden"} layer ${l + 1}, ${where}</small></h2>`;
    html += `<table class="q"><tr><th>symbol</th><th>value</th></tr>`;
    for (const q of ["z", "a", "dL_da", "da_dz", "delta"]) html += row(q, SYMBOL[q], GLOSSARY[q], pick(lay[q], j, k), known(name, q));
    html += `</table><table class="q"><tr><th>parameter</th><th>before</th><th><span class="sym" title="${esc(GLOSSARY.dL_dw)}">dL/d·</span></th><th>after</th></tr>`;
    html += row("b", "b", GLOSSARY.b, pick(lay.b, j, 0), true,
      part("grad", pick(lay.gb, j, 0), known(name, "grad_bias")) + part("after", pick(lay.ba, j, 0), known(name, "bias_after")));
    for (let i = 0; i < sizes[l]; i++) {
      html += row(`w${i}`, `w${i} <small>(${predName(l, i)})</small>`, GLOSSARY.w, param(lay.w, j, i), true,
        part("grad", param(lay.gw, j, i), bwd) + part("after", param(lay.wa, j, i), upd));
    }
    html += `</table>`;
    // What it sends back: delta * w_i, per sample (the same product the engine makes).
    const d = pick(lay.delta, j, k);
    if (lay.delta && lay.w) {
      html += `<table class="q"><tr><th><span class="sym" title="${esc(GLOSSARY.sent)}">sends back δ·w</span></th><th>value</th></tr>`;
      for (let i = 0; i < sizes[l]; i++) {
        const q = `sent:${predName(l, i)}`;
        html += row(q, `to ${predName(l, i)}`, GLOSSARY.sent, d * param(lay.w, j, i), known(name, q));
      }
      html += `</table>`;
    }
    if (lay.state) {
      html += `<table class="q"><tr><th>optimizer state</th><th>after</th></tr>`;
      for (const [key, st] of Object.entries(lay.state)) {
        const ok = known(name, `${key}_weights`);
        html += row(`${key}:b`, `${key} b`, "the optimizer's state for this parameter", pick(st.b, j, 0), ok);
        for (let i = 0; i < sizes[l]; i++) html += row(`${key}:w${i}`, `${key} w${i}`, "the optimizer's state for this parameter", param(st.w, j, i), ok);
      }
      html += `</table>`;
    }
    panel.innerHTML = html;
  }

  // --- the explanation -----------------------------------------------------------------
  // Which event makes a quantity known: z, a: forward; updates: update; the rest: backward.
  function phaseOf(q) {
    if (q === "z" || q === "a" || q === "x") return "forward";
    if (q === "loss" || q === "y") return "loss";
    if (q.startsWith("sent:") || q.startsWith("grad") || ["dL_da", "da_dz", "delta"].includes(q)) return "backward";
    return "update";
  }
  // The events' name of what an explanation is about: "w0" (its gradient) -> grad_weights, ...
  function eventQuantity(q) {
    if (q === "b") return "grad_bias";
    if (/^w\d+$/.test(q)) return "grad_weights";
    if (q === "update:b") return "bias_after";
    if (q.startsWith("update:")) return "weights_after";
    return q;
  }
  function drawExplain() {
    const s = S(), panel = $("#explain"), name = state.sel, q = state.q;
    panel.setAttribute("data-node", name || "");
    panel.setAttribute("data-quantity", q || "");
    panel.setAttribute("data-step", String(s.id));
    if (!name || !parseNode(name) || !q) {
      panel.innerHTML = '<p class="hint">Click a quantity of a neuron in the inspector to see where its number comes from.</p>';
      return;
    }
    const head = `<h2>Where ${esc(q)} of ${name} comes from <small>(t.explain("${name}", "${esc(q)}", step=${s.id}))</small></h2>`;
    if (!known(name, eventQuantity(q))) {
      panel.innerHTML = head + `<p class="notyet">not yet computed at this event: it is computed in the ${phaseOf(eventQuantity(q))} of ${name}.</p>`;
      return;
    }
    const text = (s.explain[name] || {})[q];
    panel.innerHTML = text === undefined
      ? head + `<p class="notyet">No explanation of ${esc(q)} was embedded for this step; in Python: t.explain("${name}", "${esc(q)}", step=${s.id}).</p>`
      : head + `<pre>${esc(text)}</pre>`;
  }

  // --- the edge panel with its sparkline --------------------------------------------------
  function drawEdge() {
    const panel = $("#edge");
    panel.setAttribute("data-edge", state.edge || "");
    const m = state.edge && /^(.+)->(L\d+\.N\d+)$/.exec(state.edge);
    if (!m) { panel.innerHTML = '<p class="hint">Click an edge to see its weight over the steps.</p>'; return; }
    const { l, j } = parseNode(m[2]);
    const i = Number(/(\d+)$/.exec(m[1])[1]);
    const lay = S().layers[l] || {}, name = m[2];
    const bwd = known(name, "grad_weights"), upd = known(name, "weights_after");
    const w = param(lay.w, j, i), g = param(lay.gw, j, i), after = param(lay.wa, j, i);
    let html = `<h2>${m[1]} → ${name} <small>(w${i} of ${name})</small></h2><table class="q">` +
      row("w", "w", GLOSSARY.w, w, true) + row("dL_dw", "dL/dw", GLOSSARY.dL_dw, g, bwd) +
      row("w_after", "w after", "the weight after the optimizer's update", after, upd) +
      row("change", "change", "w after − w before", after === null || w === null ? null : after - w, upd) + `</table>`;
    // Sparkline: w before each shown step (and after the last), the current step marked.
    const series = steps.map((st) => param((st.layers[l] || {}).w, j, i));
    const lastAfter = param((steps[steps.length - 1].layers[l] || {}).wa, j, i);
    if (lastAfter !== null) series.push(lastAfter);
    const vals = series.filter((v) => v !== null && Number.isFinite(v));
    if (vals.length > 1) {
      const lo = Math.min(...vals), hi = Math.max(...vals), sw = 340, sh = 50;
      const X = (k) => 4 + k * (sw - 8) / (series.length - 1);
      const Y = (v) => sh - 4 - (hi > lo ? (v - lo) / (hi - lo) : 0.5) * (sh - 8);
      const pts = series.map((v, k) => (v === null ? "" : `${X(k).toFixed(1)},${Y(v).toFixed(1)}`)).filter(Boolean).join(" ");
      const cur = series[state.si];
      html += `<svg data-panel="sparkline" width="${sw}" height="${sh}" viewBox="0 0 ${sw} ${sh}" xmlns="${SVGNS}">` +
        `<polyline points="${pts}" fill="none" stroke="#555" stroke-width="1.2"></polyline>` +
        (cur === null ? "" : `<circle cx="${X(state.si).toFixed(1)}" cy="${Y(cur).toFixed(1)}" r="3.5" fill="#f28e00"></circle>`) +
        `</svg><div class="hint">w over the ${steps.length} shown steps: ${fmt(lo)} … ${fmt(hi)}</div>`;
    }
    panel.innerHTML = html;
  }

  // --- the loss curve --------------------------------------------------------------------
  const lossPlot = { x: null, id: null };
  function drawLoss() {
    const svg = $("#loss"), lw = 900, lh = 120;
    svg.setAttribute("viewBox", `0 0 ${lw} ${lh}`);
    if (!D.loss) { svg.innerHTML = `<text x="10" y="20">the loss was not recorded</text>`; return; }
    const ids = D.recorded, values = D.loss.map(num);
    const finite = values.filter((v) => Number.isFinite(v));
    if (!finite.length) { svg.innerHTML = `<text x="10" y="20">no finite loss recorded</text>`; return; }
    let lo = Math.min(...finite), hi = Math.max(...finite);
    const logScale = lo > 0 && hi / lo > 100;
    const f = logScale ? Math.log10 : (v) => v;
    const a = f(lo), b = f(hi) > f(lo) ? f(hi) : f(lo) + 1;
    const first = ids[0], last = ids[ids.length - 1] > first ? ids[ids.length - 1] : first + 1;
    const X = (id) => 50 + (id - first) * (lw - 60) / (last - first);
    const Y = (v) => lh - 20 - (f(v) - a) * (lh - 30) / (b - a);
    lossPlot.x = X;
    lossPlot.id = (x) => first + (x - 50) * (last - first) / (lw - 60);
    // At most ~2000 points; the line breaks where the trace skipped many steps.
    const every = Math.max(1, Math.floor(ids.length / 2000));
    const gaps = ids.slice(1).map((id, k) => id - ids[k]).sort((p, q) => p - q);
    const usual = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 1;
    const lines = [];
    let pts = [], prev = null;
    for (let k = 0; k < ids.length; k += every) {
      if (!Number.isFinite(values[k])) continue;
      if (prev !== null && ids[k] - prev > 5 * usual * every) { lines.push(pts); pts = []; }
      pts.push(`${X(ids[k]).toFixed(1)},${Y(values[k]).toFixed(1)}`);
      prev = ids[k];
    }
    lines.push(pts);
    const cur = S(), cx = X(cur.id);
    const cv = num(cur.loss);
    svg.innerHTML = `<text x="4" y="12" font-size="11">${esc(steps[0].loss_name || "")} loss per recorded step${logScale ? " (log scale)" : ""}; click to jump</text>` +
      `<text x="4" y="${lh - 22}" font-size="10">${fmt(lo, 3)}</text><text x="4" y="26" font-size="10">${fmt(hi, 3)}</text>` +
      `<text x="50" y="${lh - 4}" font-size="10">step ${first}</text><text x="${lw - 10}" y="${lh - 4}" font-size="10" text-anchor="end">step ${ids[ids.length - 1]}</text>` +
      `<rect x="50" y="10" width="${lw - 60}" height="${lh - 30}" fill="transparent"></rect>` +
      lines.map((p) => `<polyline points="${p.join(" ")}" fill="none" stroke="#444" stroke-width="1"></polyline>`).join("") +
      `<line data-mark="current" x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="10" y2="${lh - 20}" stroke="#f28e00" stroke-width="1.5"></line>` +
      (Number.isFinite(cv) ? `<circle cx="${cx.toFixed(1)}" cy="${Y(cv).toFixed(1)}" r="4" fill="#f28e00"></circle>` : "");
  }

  // --- the event panel, notes, legend ------------------------------------------------------
  function drawEvent() {
    const s = S(), panel = $("#event"), n = s.events.length;
    const where = `step ${s.id}` + (s.epoch !== null && s.epoch !== undefined ? ` (epoch ${s.epoch})` : "") +
      (batch() ? `, batch of ${s.n}` : "");
    if (n === 0) {
      panel.setAttribute("data-phase", "none");
      panel.setAttribute("data-node", "");
      panel.setAttribute("data-index", "-1");
      panel.innerHTML = `<span class="phase">${where}</span>: no events for this step (see the notes above); its values only`;
    } else if (state.ev < 0) {
      panel.setAttribute("data-phase", "start");
      panel.setAttribute("data-node", "");
      panel.setAttribute("data-index", "-1");
      panel.innerHTML = `<span class="phase">${where}: start</span> · nothing computed yet; the parameters are those before this step (→ for the first event)`;
    } else {
      const [phase, node, text] = s.events[state.ev];
      panel.setAttribute("data-phase", phase);
      panel.setAttribute("data-node", node);
      panel.setAttribute("data-index", String(state.ev));
      panel.innerHTML = `<span class="phase">event ${state.ev + 1} of ${n}</span> (← → to move)` +
        `<pre data-text>${esc(text)}</pre>`;
    }
    $("#where").textContent = `${where} · shown step ${state.si + 1} of ${steps.length}`;
  }
  function drawStatic() {
    $("#title").textContent = D.title;
    $("#notes").innerHTML = D.notes.map((n) => `<p>${esc(n)}</p>`).join("");
    // The slider's value is a step id; it snaps to the nearest shown step.
    const r = $("#step");
    r.min = String(steps[0].id); r.max = String(steps[steps.length - 1].id);
    const sym = (key, label) => `<span class="item"><span class="sym" title="${esc(GLOSSARY[key])}">${label}</span></span>`;
    $("#legend").innerHTML =
      `<span class="item"><svg width="30" height="10"><line x1="0" y1="5" x2="30" y2="5" stroke="${POS}" stroke-width="3"/></svg>w &gt; 0</span>` +
      `<span class="item"><svg width="30" height="10"><line x1="0" y1="5" x2="30" y2="5" stroke="${NEG}" stroke-width="3"/></svg>w &lt; 0</span>` +
      `<span class="item">width ∝ |w| within a layer</span>` +
      `<span class="item"><svg width="16" height="12"><rect x="1" y="1" width="14" height="10" rx="3" fill="#fff" stroke="#f28e00" stroke-width="2.5"/></svg>the current event's neuron</span>` +
      `<span class="item"><svg width="16" height="12"><rect x="1" y="1" width="14" height="10" rx="3" fill="#fafafa" stroke="#666" stroke-dasharray="3 2"/></svg>not yet computed (…)</span>` +
      sym("x", "x") + sym("w", "w") + sym("b", "b") + sym("z", "z") + sym("a", "a") + sym("dL_da", "dL/da") +
      sym("da_dz", "f'(z)") + sym("delta", "δ") + sym("dL_dw", "dL/dw") + sym("dL_db", "dL/db") + sym("sent", "δ·w") +
      `<span class="item keys">keys: ← → events, Shift+← → steps, Home / End first / last step</span>`;
  }
  function drawSampleControl() {
    const group = $("#sample-group"), sel = $("#sample");
    if (!batch()) { group.hidden = true; return; }
    group.hidden = false;
    if (sel.options.length !== S().n) {
      sel.innerHTML = Array.from({ length: S().n }, (_, k) => `<option value="${k}">${k}</option>`).join("");
    }
    sel.value = String(sample());
  }

  function render() {
    $("#step").value = String(S().id);
    drawSampleControl();
    drawEvent();
    drawNetwork();
    drawInspector();
    drawExplain();
    drawEdge();
    drawLoss();
  }

  // --- moving around -----------------------------------------------------------------------
  // The shown step whose id is nearest to ``id``.
  function nearest(id) {
    let best = 0;
    steps.forEach((st, k) => { if (Math.abs(st.id - id) < Math.abs(steps[best].id - id)) best = k; });
    return best;
  }
  function goStep(si, atEnd) {
    state.si = Math.max(0, Math.min(steps.length - 1, si));
    state.ev = atEnd === false ? -1 : steps[state.si].events.length - 1;
    render();
  }
  function nextEvent() {
    if (state.ev < S().events.length - 1) { state.ev += 1; render(); }
    else if (state.si < steps.length - 1) goStep(state.si + 1, false), nextEvent();
  }
  function prevEvent() {
    if (state.ev >= 0) { state.ev -= 1; render(); }
    else if (state.si > 0) goStep(state.si - 1, true);
  }
  function play() {
    const button = document.querySelector("[data-control=play]");
    if (state.playing) {
      clearInterval(state.playing); state.playing = null;
      button.textContent = "▶ play"; button.removeAttribute("data-state");
      return;
    }
    if (state.si === steps.length - 1) goStep(0, true);
    button.textContent = "⏸ pause"; button.setAttribute("data-state", "playing");
    state.playing = setInterval(() => {
      if (state.si >= steps.length - 1) { play(); return; }
      goStep(state.si + 1, true);
    }, 400);
  }

  document.querySelector("[data-control=prev-step]").addEventListener("click", () => goStep(state.si - 1, true));
  document.querySelector("[data-control=next-step]").addEventListener("click", () => goStep(state.si + 1, true));
  document.querySelector("[data-control=prev-event]").addEventListener("click", prevEvent);
  document.querySelector("[data-control=next-event]").addEventListener("click", nextEvent);
  document.querySelector("[data-control=play]").addEventListener("click", play);
  $("#step").addEventListener("input", (e) => goStep(nearest(Number(e.target.value)), true));
  $("#sample").addEventListener("change", (e) => { state.sample = Number(e.target.value); render(); });
  $("#net").addEventListener("click", (e) => {
    const hit = e.target.closest("[data-hit]") || e.target.closest("[data-edge]");
    if (hit) {
      const name = hit.getAttribute("data-hit") || hit.getAttribute("data-edge");
      if (!name.endsWith("->loss")) { state.edge = name; render(); }
      return;
    }
    const node = e.target.closest("[data-node]");
    if (node) {
      state.sel = node.getAttribute("data-node");
      const p = parseNode(state.sel);
      if (p && !(state.q in (S().explain[state.sel] || {}))) state.q = "delta" in (S().explain[state.sel] || {}) ? "delta" : "b";
      render();
    }
  });
  // A row explains its quantity (a weight's row: its gradient); the "after" cell its update.
  $("#inspector").addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-quantity]");
    if (!tr || !parseNode(state.sel || "")) return;
    const q = tr.getAttribute("data-quantity");
    const after = e.target.closest("[data-part=after]");
    state.q = after && (q === "b" || /^w\d+$/.test(q)) ? `update:${q}` : q;
    render();
  });
  $("#loss").addEventListener("click", (e) => {
    if (!lossPlot.x) return;
    const svg = $("#loss"), box = svg.getBoundingClientRect();
    const x = (e.clientX - box.left) * 900 / box.width;
    goStep(nearest(lossPlot.id(x)), true);
  });
  document.addEventListener("keydown", (e) => {
    if (e.target && (e.target.tagName === "SELECT" || e.target.tagName === "TEXTAREA")) return;
    if (e.key === "ArrowRight") { e.preventDefault(); if (e.shiftKey) goStep(state.si + 1, true); else nextEvent(); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); if (e.shiftKey) goStep(state.si - 1, true); else prevEvent(); }
    else if (e.key === "Home") { e.preventDefault(); goStep(0, true); }
    else if (e.key === "End") { e.preventDefault(); goStep(steps.length - 1, true); }
  });

  drawStatic();
  render();
  document.body.setAttribute("data-ready", "true");
  performance.mark("neurotrace-ready");        // for measuring the time to a usable page
}
})();
