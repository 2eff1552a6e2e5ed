import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import { layerHoverMarkdown } from './layerHoverText';
import { ModelDocuments } from './modelDocuments';
import type { RunStore } from './runStore';
import type { ThemeKind } from '../images/palette';

/**
 * Hover on a layer entry of a model file (the text is built by layerHoverText.ts). Works after
 * the run too. The Markdown is trusted only for the extension's own two commands.
 */
export class LayerHover implements vscode.HoverProvider {
  constructor(
    private readonly docs: ModelDocuments,
    private readonly storeOf: (path: string) => RunStore | undefined,
  ) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const index = this.docs.layerAt(doc, pos);
    if (index === undefined) return undefined;
    const result = this.docs.get(doc);
    const row = result.summary?.layers[index];
    const store = this.storeOf(doc.uri.fsPath);
    const md = new vscode.MarkdownString(
      layerHoverMarkdown({
        index,
        name: row?.name ?? result.spec?.layers[index]?.name ?? `layer ${index + 1}`,
        row,
        history: store?.layerHistory[index],
        state: store?.state,
        frameLayer: store?.frame?.layers[index],
        modelUri: doc.uri.toString(),
        theme: themeKind(vscode.window.activeColorTheme.kind),
      }),
      true,
    );
    md.isTrusted = { enabledCommands: [CommandId.openPanel, CommandId.selectLayer] };
    return new vscode.Hover(md, this.docs.layerRange(doc, index));
  }
}

function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}
