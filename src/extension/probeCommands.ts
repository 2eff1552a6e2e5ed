import * as vscode from 'vscode';
import { t } from '../l10n';
import { parseProbeRequest } from '../protocol/probeRequest';
import { PROBE_TEXT_MAX } from '../protocol/webviewProtocol';
import type { RunController } from './runController';
import type { RunStore } from './runStore';

export interface ProbeCommandDeps {
  /** The model file a command is about (its argument, else the active editor's). */
  targetPath(arg?: unknown): string | undefined;
  controllerOf(modelPath: string): RunController | undefined;
  storeFor(modelPath: string): RunStore;
  /** Shows the model file's training panel. */
  showPanel(modelPath: string): void;
}

/** The probe commands: typed text for text models, and the Probe tab's requests (drawn digits, rows, sliders). */
export function probeCommands(d: ProbeCommandDeps): {
  probeText(arg?: unknown, typed?: unknown): Promise<void>;
  probe(arg?: unknown, request?: unknown): void;
} {
  /** Glassbox: Probe the Text Model…: the Sequence tab's text box, or an input box from the palette. */
  const probeText = async (arg?: unknown, typed?: unknown): Promise<void> => {
    const p = d.targetPath(arg);
    const c = p ? d.controllerOf(p) : undefined;
    if (!p || !c?.probing)
      return void vscode.window.showInformationMessage(
        t('Glassbox: train a text model (or let its run finish in this window) to probe it with your own text.'),
      );
    const text =
      typeof typed === 'string'
        ? typed
        : await vscode.window.showInputBox({
            title: t('Glassbox: probe text'),
            prompt: t(
              'Text for the model to read (its characters must be in the training text); the Sequence tab shows it.',
            ),
            validateInput: (v) => (v.length >= 2 ? undefined : t('Type at least two characters.')),
          });
    if (!text) return;
    c.probeText(text.slice(0, PROBE_TEXT_MAX));
    if (typeof typed !== 'string') d.showPanel(p);
  };

  /** The Probe tab's request (validated by the panel's view channel) for the model file's run. */
  const probe = (arg?: unknown, request?: unknown): void => {
    const p = d.targetPath(arg);
    const r = parseProbeRequest(request);
    const c = p ? d.controllerOf(p) : undefined;
    if (!p || !r) return;
    if (!c?.probe(r))
      d.storeFor(p).probeMessage(
        t('Train the model (or let its run finish in this window) to probe it: the weights live in its worker.'),
      );
  };
  return { probeText, probe };
}
