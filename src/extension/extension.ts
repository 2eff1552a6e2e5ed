import * as path from 'node:path';
import * as vscode from 'vscode';
import { hasErrors } from '../modelFile/validate';
import { formatProblem } from '../modelFile/problem';
import { ModelCodeLens } from './codeLens';
import { CommandId } from './commandIds';
import { allowedDataAccess, runsDirectorySetting, trustedToTrain } from './workspaceTrust';
import { ModelDiagnostics } from './diagnostics';
import { LayerHover } from './layerHover';
import { isModelFile, ModelDocuments } from './modelDocuments';
import { RunController } from './runController';
import { RunStore } from './runStore';
import { FollowingView } from './sideViews';
import { StatusBar } from './statusBar';
import { TrainingPanel } from './trainingPanel';
import { TrainingDoctor } from './trainingDoctor';
import { LayerInlayHints } from './inlayHints';
import { latestRunFolder, restoreFromRecord } from './runRestore';
import { resumeFolderTarget, resumeTarget } from './resumeTarget';
import { registerRunsView } from './runCommands';
import { registerWalkthrough } from './walkthrough';
import { ComparePanel } from './comparePanel';
import { registerPyTorchCommands } from './pytorchCommands';
import { t } from '../l10n';
import { useDisplayLanguage } from './l10nSetup';
import { AUTODIFF_VIEW_TYPE, reviveAutodiffPanel, runAutodiffExpression } from './autodiffPanel';
import { probeCommands } from './probeCommands';

/** How long a run waits for its new training panel before it trains anyway (extension.ts `launch`). */
const PANEL_READY_TIMEOUT_MS = 10_000;

/** What the extension exposes to its integration tests (and nothing else relies on it). */
export interface GlassboxApi {
  storeFor(modelPath: string): RunStore;
  controllerFor(modelPath: string): RunController | undefined;
}

export function activate(context: vscode.ExtensionContext): GlassboxApi {
  useDisplayLanguage();
  const log = vscode.window.createOutputChannel('Glassbox', { log: true });
  const stores = new Map<string, RunStore>();
  const controllers = new Map<string, RunController>();
  const docs = new ModelDocuments();
  context.subscriptions.push(docs);
  const doctor = new TrainingDoctor(docs);
  const inlayHints = new LayerInlayHints(docs, (p) => stores.get(p));
  let lastHintRefresh = 0;
  const storeFor = (p: string): RunStore => {
    let s = stores.get(p);
    if (!s) {
      stores.set(p, (s = new RunStore(p)));
      // Granting trust lifts the confinement of data reads: validate the open model files again.
      context.subscriptions.push(
        vscode.workspace.onDidGrantWorkspaceTrust(() => {
          for (const d of vscode.workspace.textDocuments)
            if (isModelFile(d)) {
              docs.forget(d);
              diagnostics.refresh(d);
            }
        }),
      );

      context.subscriptions.push(doctor.watch(s));
      // Show the last run of this model (a reload, or a run from the CLI) until a new one starts.
      const folder = latestRunFolder(settings(p).runsDir, p);
      if (folder) {
        try {
          restoreFromRecord(s, folder);
        } catch (e) {
          log.warn(`could not read the run record ${folder}: ${(e as Error).message}`);
          s.setState('idle', t('The last run record could not be read: {0}', (e as Error).message));
        }
      }
      context.subscriptions.push(
        s.subscribe((msg) => {
          // Inlay hints show the latest gradient norms: refresh them every 2 s while frames arrive.
          if (msg.type === 'frame' && Date.now() - lastHintRefresh > 2000) {
            lastHintRefresh = Date.now();
            inlayHints.refresh();
          } else if (msg.type === 'state') inlayHints.refresh();
        }),
      );
    }
    return s;
  };
  const lossView = new FollowingView('glassbox.lossView', 'lossView', context.extensionUri, log);
  const featureView = new FollowingView('glassbox.featureMapsView', 'featureMapsView', context.extensionUri, log);
  const statusBar = new StatusBar();
  const diagnostics = new ModelDiagnostics(docs);
  const codeLens = new ModelCodeLens(docs, (p) => stores.get(p));
  // A large text file scanned in the background: parameter counts and shapes are known now.
  context.subscriptions.push(
    docs.onDidChange(() => {
      codeLens.refresh();
      inlayHints.refresh();
    }),
  );
  const selector: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/*.nn.json' }];

  const follow = (p: string | undefined): void => {
    const s = p ? storeFor(p) : undefined;
    lossView.follow(s);
    featureView.follow(s);
    statusBar.follow(s);
    void vscode.commands.executeCommand('setContext', 'glassbox.activeRunning', !!p && !!controllers.get(p)?.active);
  };
  const followEditor = (e: vscode.TextEditor | undefined) => {
    if (isModelFile(e?.document)) follow(e.document.uri.fsPath);
  };

  /** The model file a command is about: its argument (Uri or string), else the active editor. */
  const targetPath = (arg?: unknown): string | undefined => {
    if (arg instanceof vscode.Uri) return arg.fsPath;
    if (typeof arg === 'string') return arg.startsWith('file:') ? vscode.Uri.parse(arg).fsPath : arg;
    const doc = vscode.window.activeTextEditor?.document;
    if (isModelFile(doc)) return doc.uri.fsPath;
    return lossView.followed?.modelPath;
  };

  const settings = (modelPath: string) => {
    const cfg = vscode.workspace.getConfiguration('glassbox', vscode.Uri.file(modelPath));
    const folder =
      vscode.workspace.getWorkspaceFolder(vscode.Uri.file(modelPath))?.uri.fsPath ?? path.dirname(modelPath);
    const runsDir =
      runsDirectorySetting(cfg, folder, (m) => log.warn(m)) ?? path.join(path.dirname(modelPath), '.glassbox', 'runs');
    return {
      telemetryHz: cfg.get<number>('telemetryRate', 5),
      runsDir,
      defaultPrecision: cfg.get<'float32' | 'float64'>('defaultPrecision', 'float32'),
      threads: cfg.get<number>('threads', 0),
    };
  };

  /** Starts a run of `p` in a worker and shows it: panel, status bar, code lens (no progress notification: it covered the panel for the whole run). */
  const launch = (p: string, modelText: string, paused: boolean, resumeFrom?: string): void => {
    const store = storeFor(p);
    const controller = new RunController(context.extensionUri, store, log);
    controllers.get(p)?.dispose();
    controllers.set(p, controller);
    // The panel first: a webview starting beside two training threads took 2-3x as long to show
    // anything, so a fresh panel's run holds its first batch until the panel is ready (at most 10 s).
    const panel = TrainingPanel.show(context.extensionUri, store, log);
    const held = !panel.ready;
    controller.start(modelText, settings(p), paused, resumeFrom, held);
    if (held) void panel.whenReady(PANEL_READY_TIMEOUT_MS).then(() => controller.release());
    follow(p);
    codeLens.refresh();
    controller.onDidEnd(() => {
      runsView.refreshSoon();
      codeLens.refresh();
      follow(targetPath());
    });
  };

  /**
   * Resume Training: continues the model file's last stopped run, as `glassbox train --resume`; the
   * Runs view's Resume passes the run `folder` to continue.
   */
  const resumeTraining = async (arg?: unknown, folder?: string): Promise<void> => {
    const p = targetPath(arg);
    if (!p)
      return void vscode.window.showWarningMessage(t('Glassbox: open a model file (*.nn.json) to resume its run.'));
    if (controllers.get(p)?.active)
      return void vscode.window.showInformationMessage(t('Glassbox: {0} is already training.', path.basename(p)));
    if (!(await trustedToTrain(t('resuming {0}', path.basename(p))))) return;
    const target = folder ? resumeFolderTarget(folder) : resumeTarget(settings(p).runsDir, p);
    if ('nothing' in target) return void vscode.window.showInformationMessage(t('Glassbox: {0}', target.nothing));
    log.info(`[${path.basename(p)}] resuming ${target.folder}`);
    launch(p, '', false, target.folder);
  };

  const train = async (arg?: unknown, paused = false): Promise<void> => {
    const p = targetPath(arg);
    if (!p) return void vscode.window.showWarningMessage(t('Glassbox: open a model file (*.nn.json) to train it.'));
    if (controllers.get(p)?.active)
      return void vscode.window.showInformationMessage(t('Glassbox: {0} is already training.', path.basename(p)));
    if (!(await trustedToTrain(t('training {0}', path.basename(p))))) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p));
    const problems = await diagnostics.settled(doc);
    if (hasErrors(problems)) {
      const errors = problems.filter((x) => x.severity === 'error');
      log.warn(`refused to train ${p}:\n${errors.map((x) => formatProblem(p, x)).join('\n')}`);
      void vscode.window
        .showErrorMessage(
          t(
            errors.length > 1
              ? 'Glassbox: cannot train {0}: {1} problems in the model file. First: line {2}: {3}'
              : 'Glassbox: cannot train {0}: {1} problem in the model file. First: line {2}: {3}',
            path.basename(p),
            errors.length,
            errors[0].range.start.line + 1,
            errors[0].message,
          ),
          t('Show Problems'),
        )
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return;
    }
    const spec = docs.get(doc).spec;
    if (spec && !(await allowedDataAccess(context.workspaceState, p, spec))) return;
    launch(p, doc.getText(), paused);
  };

  // Step-through backprop: the layer of the current op is highlighted in the model file.
  const opHighlight = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    isWholeLine: true,
  });
  const highlightOp = (p: string): void => {
    const store = storeFor(p);
    const op = store.opCursor ? store.frame?.probeOps?.[store.opCursor.index] : undefined;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.fsPath !== p) continue;
      const range = op ? docs.layerRange(editor.document, op.layer) : undefined;
      editor.setDecorations(opHighlight, range ? [range] : []);
      if (range) editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  };
  const stepOperation = async (arg?: unknown): Promise<void> => {
    const p = targetPath(arg);
    const c = p ? controllers.get(p) : undefined;
    if (!p || !c?.active) return train(arg, true);
    if (c.state !== 'paused') return c.pause();
    const store = storeFor(p);
    if (!store.frame?.probeOps?.length)
      return void vscode.window.showInformationMessage(
        t('Glassbox: no probe telemetry to step through (is glassbox.telemetryRate 0?).'),
      );
    const next = store.nextOpCursor();
    store.setOpCursor(next);
    if (!next) c.step(); // past the first op's backward pass: the optimizer step, one batch
    highlightOp(p);
  };

  const withController = (arg: unknown, f: (c: RunController) => void, idle: string) => {
    const p = targetPath(arg);
    const c = p ? controllers.get(p) : undefined;
    if (c?.active) f(c);
    else void vscode.window.showInformationMessage(t('Glassbox: {0}', idle));
  };

  const { probeText, probe } = probeCommands({
    targetPath,
    controllerOf: (p) => controllers.get(p),
    storeFor,
    showPanel: (p) => TrainingPanel.show(context.extensionUri, storeFor(p), log, false),
  });

  /** Shows a run's record in its model file's panel (the run in training, if one is). */
  const openRun = (folder: string, modelFile: string): void => {
    const store = storeFor(modelFile);
    if (controllers.get(modelFile)?.active)
      void vscode.window.showInformationMessage(
        t('Glassbox: {0} is training; its panel shows the current run.', path.basename(modelFile)),
      );
    else restoreFromRecord(store, folder);
    TrainingPanel.show(context.extensionUri, store, log, false);
  };
  // The Runs view: every run record in the workspace; open, rename, delete, resume, compare, export.
  const runs = registerRunsView({
    extensionUri: context.extensionUri,
    openRun,
    resumeRun: (folder, modelFile) => resumeTraining(vscode.Uri.file(modelFile), folder),
    log,
  });
  const runsView = runs.view;

  context.subscriptions.push(
    ...runs.disposables,
    log,
    lossView,
    featureView,
    statusBar,
    diagnostics,
    doctor,
    vscode.languages.registerCodeActionsProvider(selector, doctor, {
      providedCodeActionKinds: TrainingDoctor.providedCodeActionKinds,
    }),
    vscode.languages.registerInlayHintsProvider(selector, inlayHints),
    doctor.onDidChange((p) => statusBar.setWarning(p, doctor.findings(p).length)),
    vscode.window.registerWebviewViewProvider(lossView.viewId, lossView),
    vscode.window.registerWebviewViewProvider(featureView.viewId, featureView),
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.languages.registerHoverProvider(selector, new LayerHover(docs, (p) => stores.get(p))),
    vscode.window.onDidChangeActiveTextEditor(followEditor),
    // A changed telemetry rate applies to runs already training.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('glassbox.telemetryRate')) return;
      for (const [p, c] of controllers) if (c.active) c.setTelemetryRate(settings(p).telemetryHz);
    }),
    vscode.commands.registerCommand(CommandId.trainModel, (arg?: unknown) => train(arg)),
    vscode.commands.registerCommand(CommandId.probeText, probeText),
    vscode.commands.registerCommand(CommandId.probe, probe),
    vscode.commands.registerCommand(CommandId.runAutodiffExpression, (arg?: unknown) =>
      runAutodiffExpression(context.extensionUri, arg),
    ),
    vscode.commands.registerCommand(CommandId.resumeTraining, (arg?: unknown) => resumeTraining(arg)),
    vscode.commands.registerCommand(CommandId.stopTraining, (arg?: unknown) =>
      withController(arg, (c) => c.stop(), t('nothing is training.')),
    ),
    vscode.commands.registerCommand(CommandId.togglePause, (arg?: unknown) =>
      withController(arg, (c) => (c.state === 'paused' ? c.resume() : c.pause()), t('nothing is training.')),
    ),
    vscode.commands.registerCommand(CommandId.stepBatch, (arg?: unknown) => {
      const p = targetPath(arg);
      const c = p ? controllers.get(p) : undefined;
      if (c?.active) return c.state === 'paused' ? c.step() : c.pause();
      return train(arg, true);
    }),
    opHighlight,
    vscode.commands.registerCommand(CommandId.stepOperation, (arg?: unknown) => stepOperation(arg)),
    vscode.commands.registerCommand(CommandId.openPanel, (arg?: unknown) => {
      const p = targetPath(arg);
      if (!p) return void vscode.window.showWarningMessage(t('Glassbox: open a model file (*.nn.json) first.'));
      TrainingPanel.show(context.extensionUri, storeFor(p), log, false);
    }),
    vscode.commands.registerCommand(CommandId.validateModel, async (arg?: unknown) => {
      const p = targetPath(arg);
      if (!p) return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p));
      const problems = await diagnostics.settled(doc);
      const summary = docs.get(doc).summary;
      if (!hasErrors(problems)) {
        void vscode.window.showInformationMessage(
          summary
            ? t(
                'Glassbox: {0} is valid — {1} layers, {2} parameters.',
                path.basename(p),
                summary.layers.length,
                summary.totalParameters.toLocaleString('en-US'),
              )
            : t('Glassbox: {0} is valid.', path.basename(p)),
        );
      } else {
        void vscode.window.showErrorMessage(
          t(
            'Glassbox: {0} has {1} problem(s); see the Problems panel.',
            path.basename(p),
            problems.filter((x) => x.severity === 'error').length,
          ),
        );
      }
    }),
    vscode.commands.registerCommand(CommandId.selectLayer, async (arg: unknown, index: number, reveal = false) => {
      const p = targetPath(arg);
      if (!p || !Number.isInteger(index)) return;
      storeFor(p).selectLayer(index);
      if (reveal) {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p));
        const range = docs.layerRange(doc, index);
        const editor = await vscode.window.showTextDocument(doc, {
          viewColumn: vscode.ViewColumn.One,
          preserveFocus: false,
        });
        if (range) {
          editor.selection = new vscode.Selection(range.start, range.start);
          editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        }
      } else {
        void vscode.commands.executeCommand(`${featureView.viewId}.focus`);
      }
    }),
    ...registerPyTorchCommands({
      targetPath,
      onImported: (p, folder) => {
        restoreFromRecord(storeFor(p), folder);
        TrainingPanel.show(context.extensionUri, storeFor(p), log, false);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(TrainingPanel.viewType, {
      deserializeWebviewPanel: async (panel, state: { modelPath?: string } | undefined) => {
        if (!state?.modelPath) return panel.dispose();
        TrainingPanel.revive(panel, context.extensionUri, storeFor(state.modelPath), log);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ComparePanel.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => ComparePanel.revive(panel, context.extensionUri, state),
    }),
    vscode.window.registerWebviewPanelSerializer(AUTODIFF_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => reviveAutodiffPanel(panel, context.extensionUri, state),
    }),
    { dispose: () => controllers.forEach((c) => c.dispose()) },
    ...registerWalkthrough(context),
  );
  followEditor(vscode.window.activeTextEditor);
  log.info('Glassbox activated');
  return { storeFor, controllerFor: (p) => controllers.get(p) };
}

export function deactivate(): void {}
