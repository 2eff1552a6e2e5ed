/** Static markup of the training panel (filled in by webview/trainingPanel.ts). */
export const TRAINING_PANEL_BODY = `
<header class="toolbar">
  <h1 id="title">No run yet</h1>
  <span id="state" class="badge">idle</span>
  <span class="spacer"></span>
  <button id="btn-train" class="primary" title="Train the model">&#9654; Train</button>
  <button id="btn-pause" title="Pause after the current batch" hidden>Pause</button>
  <button id="btn-resume" class="primary" title="Resume training" hidden>Resume</button>
  <button id="btn-step" title="Train exactly one batch" hidden>Step</button>
  <button id="btn-stepOp" title="Step one operation of the forward or backward pass (Network tab)" hidden>Step op</button>
  <button id="btn-resumeRun" title="Continue the last stopped run from its checkpoint (Glassbox: Resume Training)" hidden>Resume run</button>
  <button id="btn-stop" class="danger" title="Stop and keep what was trained" hidden>Stop</button>
</header>
<nav class="tabs" role="tablist">
  <button role="tab" class="tab-btn" data-tab="training" aria-selected="true">Training</button>
  <button role="tab" class="tab-btn" data-tab="layers" aria-selected="false">Layers</button>
  <button role="tab" class="tab-btn" data-tab="network" aria-selected="false">Network</button>
  <button role="tab" class="tab-btn" data-tab="probe" aria-selected="false">Probe</button>
  <button role="tab" class="tab-btn" id="tab-btn-latent" data-tab="latent" aria-selected="false" hidden>Latent</button>
</nav>
<div id="tab-training" class="tab-page">
<section class="status">
  <progress id="progress-bar" max="1" value="0"></progress>
  <div id="progress" class="muted"></div>
  <div id="last-eval"></div>
  <div id="message" class="message"></div>
</section>
<section id="samples-section" class="samples" hidden>
  <h2>Samples</h2>
  <div id="samples" aria-live="polite"></div>
</section>
<section class="charts">
  <div class="chart-box"><canvas id="loss-chart" aria-label="training and test loss"></canvas></div>
  <div class="chart-box"><canvas id="metric-chart" aria-label="test metric per evaluation"></canvas></div>
</section>
<section class="tables">
  <div><h2>Run</h2><table id="config" class="kv"></table></div>
  <div><h2>Layers</h2><table id="layers" class="grid"></table></div>
</section>
</div>
<div id="tab-layers" class="tab-page" hidden>
  <p class="muted">Distributions over training of each layer's activations, weights and gradients: min–max (light band), mean ± std (dark band) and mean (line), sampled live. The bars are the latest histogram.</p>
  <div id="layers-list" class="dist-list"></div>
</div>
<div id="tab-network" class="tab-page" hidden>
  <p class="muted">The computational graph of the probe sample, operation by operation: the forward value (top) and the backward gradient ∂L/∂output (bottom) of each operation, with its derivative.</p>
  <div id="network-graph" class="op-graph"></div>
</div>
<div id="tab-latent" class="tab-page" hidden>
  <p id="latent-info" class="muted"></p>
  <div class="latent-box"><canvas id="latent-canvas" aria-label="latent codes of test rows projected to 2-D, coloured by class"></canvas></div>
  <div id="latent-legend" class="legend"></div>
</div>
<div id="tab-probe" class="tab-page" hidden>
  <p class="muted">A fixed test example (the first of the test set) on its way through the network.</p>
  <div id="probe-view"></div>
</div>`;

/** Static markup of the Loss side view. */
export const LOSS_VIEW_BODY = `
<div class="view-head"><span id="title" class="muted">Open a model file (*.nn.json)</span> <span id="state" class="badge">idle</span></div>
<div id="last-eval" class="muted"></div>
<div class="chart-box small"><canvas id="loss-chart" aria-label="training and test loss"></canvas></div>`;

/** Static markup of the Feature Maps side view. */
export const FEATURE_MAPS_BODY = `
<div class="view-head"><label for="layer-select">Layer</label> <select id="layer-select"></select></div>
<div id="fm-info" class="muted">Train a model to see the activations of a fixed probe sample.</div>
<h2>Activations</h2>
<div id="fm-grid" class="fm-grid"></div>
<h2>Gradient ∂L/∂output</h2>
<div id="fm-grad" class="fm-grid"></div>
<section id="fm-filters-section" hidden>
<h2>Filters</h2>
<div id="fm-filters" class="fm-grid"></div>
<h2>Filter gradients</h2>
<div id="fm-filter-grads" class="fm-grid"></div>
</section>`;
