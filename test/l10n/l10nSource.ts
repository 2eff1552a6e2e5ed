import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * What the localisation tests read from the source with the TypeScript compiler API:
 * - the catalog's messages: the English literal passed to `t`, `msg`, `vscode.l10n.t` or the
 *   engine's `engineText` (scripts/l10n.mjs writes them to l10n/bundle.l10n.json);
 * - the text that bypasses the catalog: a string or template literal with words in it, passed
 *   straight to something that shows text to a user (a notification, a diagnostic, a hover, the
 *   status bar, a quick pick, a webview element, a Problem's message, a user-facing error, the CLI's
 *   output) instead of through `t`.
 */

export const ROOT = join(__dirname, '..', '..', '..');

/** Folders whose code shows text to users (the engine's user-facing errors use `engineText`). */
const SCANNED = [
  'src/cli',
  'src/data',
  'src/doctor',
  'src/extension',
  'src/export',
  'src/l10n',
  'src/modelFile',
  'src/parity',
  'src/protocol',
  'src/runs',
  'src/session',
  'src/util',
  'src/worker',
  'src/engine',
  'webview',
];

/** The JSON schema's descriptions are served by VS Code's JSON service (English; see ARCHITECTURE.md). */
// src/parity: only the report the editor shows (bookExperimentReport.ts); the rest is `npm run parity`, a developer's tool.
const NOT_SCANNED = [
  'src/modelFile/schema/',
  'src/modelFile/layerRegistry.ts',
  'src/parity/cli.ts',
  'src/parity/experiments.ts',
  'src/parity/expected.ts',
];

export function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(p);
    }
  };
  for (const d of SCANNED) walk(join(ROOT, d));
  return files.filter((f) => !NOT_SCANNED.some((n) => rel(f).startsWith(n)));
}

export const rel = (file: string) => relative(ROOT, file).split('\\').join('/');

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Names of the catalog's functions: `t(...)`, `msg(...)`, `l10n.t(...)`, `engineText(...)`. */
function isCatalogCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const c = node.expression;
  if (ts.isIdentifier(c)) return c.text === 't' || c.text === 'msg' || c.text === 'engineText';
  return ts.isPropertyAccessExpression(c) && c.name.text === 't' && /l10n$/.test(c.expression.getText());
}

export interface Message {
  readonly text: string;
  readonly where: string;
}

/** Every English message the code passes to the catalog as a literal. */
export function catalogMessages(files = sourceFiles()): Message[] {
  const out: Message[] = [];
  for (const file of files) {
    const sf = parse(file);
    const visit = (node: ts.Node) => {
      if (isCatalogCall(node) && node.arguments.length > 0) {
        // `t(cond ? 'one {0}' : 'two {0}', …)`: both messages are the catalog's.
        const literals = (e: ts.Expression): ts.Expression[] =>
          ts.isConditionalExpression(e)
            ? [...literals(e.whenTrue), ...literals(e.whenFalse)]
            : ts.isParenthesizedExpression(e)
              ? literals(e.expression)
              : [e];
        for (const a of literals(node.arguments[0]))
          if (ts.isStringLiteral(a) || ts.isNoSubstitutionTemplateLiteral(a))
            out.push({ text: a.text, where: at(sf, a) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

function at(sf: ts.SourceFile, node: ts.Node): string {
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${rel(sf.fileName)}:${line + 1}`;
}

/**
 * Text that is language, not notation: two letters in a row once codicons (`$(play)`), `{0}`
 * places, units and a few names that are not translated are taken out.
 */
export function isLanguage(text: string): boolean {
  // A camelCase identifier (a problem code such as 'dataUnreadable') or a JSON word is not prose.
  if (/^[a-z]+[A-Z][A-Za-z0-9]*$/.test(text) || text === 'null') return false;
  // A file name (model.py, weights.npz, README.md) is not translated.
  if (/^[\w.-]+\.(py|npz|npy|md|json|gbw|js|csv|txt)$/.test(text)) return false;
  const stripped = text
    .replace(/\$\([a-z-]+\)/g, '')
    .replace(/\b(Glassbox|PyTorch|NaN|Inf|ReLU|MNIST|LSTM|GRU|RNN|CNN|PCA|t-SNE|JSON|CSV|npz|e\d+)\b/g, '')
    .replace(/\b(px|ms|s|KB|MB|GB|x|e|lr)\b/g, '')
    .replace(/--[a-z][a-z-]*/g, '') // command-line options
    .replace(/\b(glassbox|export|import|train|validate|summary):/g, ''); // the CLI's command names
  return /[A-Za-z]{2,}/.test(stripped);
}

/** The literal parts of an expression that would reach the user as they are. */
function literalTexts(e: ts.Expression): ts.Node[] {
  if (isCatalogCall(e)) return [];
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return isLanguage(e.text) ? [e] : [];
  if (ts.isTemplateExpression(e)) {
    const parts = [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' ');
    return isLanguage(parts) ? [e] : e.templateSpans.flatMap((s) => literalTexts(s.expression));
  }
  if (ts.isParenthesizedExpression(e)) return literalTexts(e.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return [...literalTexts(e.left), ...literalTexts(e.right)];
  if (
    ts.isBinaryExpression(e) &&
    [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(e.operatorToken.kind)
  )
    return [...literalTexts(e.left), ...literalTexts(e.right)];
  if (ts.isConditionalExpression(e)) return [...literalTexts(e.whenTrue), ...literalTexts(e.whenFalse)];
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => (ts.isExpression(x) ? literalTexts(x) : []));
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join')
    return literalTexts(e.expression.expression);
  if (ts.isObjectLiteralExpression(e)) return objectTexts(e);
  return [];
}

/** Properties of object literals that are shown as they are (quick pick items, commands, problems). */
const TEXT_PROPERTIES = new Set([
  'message',
  'title',
  'label',
  'tooltip',
  'detail',
  'description',
  'placeHolder',
  'placeholder',
  'prompt',
  'text',
  'summary',
  'hint',
  'advice',
  'fix',
  'nothing',
  'aria-label',
]);

function objectTexts(o: ts.ObjectLiteralExpression): ts.Node[] {
  const out: ts.Node[] = [];
  for (const p of o.properties)
    if (ts.isPropertyAssignment(p) && TEXT_PROPERTIES.has(p.name.getText().replace(/['"]/g, '')))
      out.push(...literalTexts(p.initializer));
  return out;
}

/** Calls whose arguments are shown: method name → which arguments (all when undefined). */
const SHOWING_CALLS: Record<string, readonly number[] | undefined> = {
  showInformationMessage: undefined,
  showWarningMessage: undefined,
  showErrorMessage: undefined,
  setStatusBarMessage: [0],
  showQuickPick: undefined,
  showInputBox: undefined,
  withProgress: [0],
  appendMarkdown: [0],
  appendText: [0],
  appendCodeblock: [],
  report: [0],
  append: undefined,
  appendLine: [0],
  write: [0],
  writeLine: [0],
  log: undefined,
  error: undefined,
  setAttribute: [1],
  muted: [0],
  emptyChart: [0],
  setState: [1],
  finish: [1],
  el: undefined,
  reply: [0],
  fail: [0],
  say: [0],
  note: [0],
  line: [0],
};

/** Constructors whose arguments are shown. */
const SHOWING_CONSTRUCTORS =
  /^(vscode\.)?(Diagnostic|DiagnosticRelatedInformation|MarkdownString|TreeItem|CodeAction|CodeLens|Hover|InlayHint|InlayHintLabelPart|QuickPickItem|\w*Error)$/;

/** Assignments that show their value (`item.text = …`, `node.textContent = …`). */
const SHOWING_PROPERTIES = new Set([
  'text',
  'tooltip',
  'textContent',
  'innerText',
  'title',
  'label',
  'description',
  'detail',
  'placeholder',
  'placeHolder',
  'message',
  'ariaLabel',
  'alt',
]);

/** `setAttribute(name, value)`: only attributes that are read to a user. */
const SHOWN_ATTRIBUTES = new Set(['title', 'aria-label', 'placeholder', 'alt']);

/**
 * Literal text that reaches no user as it is, by file: internal errors (a broken installation or a
 * bug, never a user's input), and what is written into generated files rather than shown.
 */
const NOT_USER_TEXT: Record<string, readonly RegExp[]> = {
  'src/worker/engineWorker.ts': [/must run in a worker thread/],
  'src/worker/textScanWorker.ts': [/must run in a worker thread/],
  'src/export/pythonText.ts': [/not a finite number/],
  'src/export/pytorchModel.ts': [/unsupported \$\{what\}/, /has no PyTorch form in this exporter/],
  'src/export/npzFormat.ts': [/big-endian hosts/],
  'src/data/packageRoot.ts': [/cannot find Glassbox's package.json/],
  'src/runs/frameRecord.ts': [/cannot store a/],
  'src/modelFile/build.ts': [/validate the model first/],
  'src/util/kernelThreads.ts': [/kernel thread/],
  // The stated differences of a PyTorch export are written into its README.md and model.py (English).
  'src/export/pytorchExport.ts': [
    /^d\.push|^"initialisation|^'character models|^"shuffling|evalEveryBatches|latent: train.py|Glassbox's initialisation/,
  ],
};

export interface Bypass {
  readonly where: string;
  readonly text: string;
}

/** Literal text reaching a user without going through the catalog. */
export function findBypasses(files = sourceFiles().filter((f) => !rel(f).startsWith('src/engine/'))): Bypass[] {
  const out: Bypass[] = [];
  for (const file of files) {
    const sf = parse(file);
    const report = (nodes: ts.Node[]) => {
      for (const n of nodes) out.push({ where: at(sf, n), text: n.getText(sf).slice(0, 120) });
    };
    const visit = (node: ts.Node): void => {
      if (isCatalogCall(node)) return; // its arguments are the catalog's keys and values
      if (ts.isCallExpression(node)) {
        const c = node.expression;
        const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
        // log/error count on `console` only: the extension's output channel (`log.error`) is a log
        // for whoever debugs, in English like VS Code's own logs.
        const consoleOnly =
          (name === 'log' || name === 'error') &&
          !(ts.isPropertyAccessExpression(c) && c.expression.getText(sf) === 'console');
        if (Object.hasOwn(SHOWING_CALLS, name) && !consoleOnly) {
          let which = SHOWING_CALLS[name];
          if (name === 'setAttribute') {
            const a0 = node.arguments[0];
            which = a0 && ts.isStringLiteral(a0) && SHOWN_ATTRIBUTES.has(a0.text) ? [1] : [];
          }
          if (name === 'el') which = node.arguments.map((_, i) => i).filter((i) => i >= 1);
          node.arguments.forEach((a, i) => {
            if (!which || which.includes(i)) report(literalTexts(a));
          });
        }
      } else if (ts.isNewExpression(node)) {
        if (SHOWING_CONSTRUCTORS.test(node.expression.getText(sf)))
          for (const a of node.arguments ?? []) report(literalTexts(a));
      } else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        (ts.isPropertyAccessExpression(node.left)
          ? SHOWING_PROPERTIES.has(node.left.name.text)
          : ts.isIdentifier(node.left) && /^(title|label|message|tooltip|detail)$/.test(node.left.text))
      ) {
        report(literalTexts(node.right));
      } else if (ts.isObjectLiteralExpression(node)) {
        report(objectTexts(node));
      } else if (ts.isReturnStatement(node) && node.expression && returnsText(node)) {
        report(literalTexts(node.expression));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  // An object literal nested in a showing call is reported twice (as an argument and as an object).
  const seen = new Set<string>();
  return out.filter((b) => {
    const allowed = NOT_USER_TEXT[b.where.replace(/:\d+$/, '')];
    if (allowed?.some((r) => r.test(b.text))) return false;
    return seen.has(b.where + b.text) ? false : (seen.add(b.where + b.text), true);
  });
}

/**
 * A function that returns text for display: its name says so (`…Text`, `…Message`, `describe…`,
 * `format…`, `…Label`, `…Title`, `…Hint`, `…Summary`) and its return type is a string.
 */
function returnsText(node: ts.ReturnStatement): boolean {
  let f: ts.Node | undefined = node.parent;
  while (f && !ts.isFunctionLike(f)) f = f.parent;
  if (!f) return false;
  const decl = f as ts.SignatureDeclaration;
  const name = decl.name?.getText() ?? (ts.isVariableDeclaration(f.parent) ? f.parent.name.getText() : '');
  return /(Text|Message|Label|Title|Hint|Summary|Tooltip|Description|Explanation|Advice)$|^(describe|explain|format(?!Shape|Number|Bytes))/.test(
    name,
  );
}
