// Drives the VS Code 1.139 workbench (code-server 4.139.1) through the DOM and the keyboard.
// Selectors: testing-in-vscode.md §5.2. Every step that can race the extension host retries.
import type { Locator, Page } from 'playwright-core';
import { debug } from './debug';
import { retry, succeeds } from './retry';

const QUICK_INPUT = '.quick-input-widget input';
const QUICK_ROW = '.quick-input-list .monaco-list-row';

/** Loads the workbench on `url` (see CodeServer.workspaceUrl) and waits for the explorer to list the folder. */
export async function openWorkspace(page: Page, url: string, timeout = 60_000): Promise<void> {
  await page.goto(url, { timeout });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
}

/**
 * Runs "Developer: Reload Window" and waits for the new page, then for its explorer to list the folder
 * (`explorer: false` where the window restores another side bar view: the explorer is not shown). The
 * command flushes the workbench's storage (a webview's saved state) before reloading, as a user's
 * reload does; navigating the page away would not wait for it.
 */
export async function reloadWindow(
  page: Page,
  { explorer = true, timeout = 60_000 }: { explorer?: boolean; timeout?: number } = {},
): Promise<void> {
  // Listening before the command: the page may reload before runCommand returns.
  const reloaded = page.waitForEvent('load', { timeout });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  if (explorer) await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
}

/**
 * Opens a quick input with `key`, types `text`, and clicks the row whose label matches `label`.
 * Retried because the list is computed when the widget opens (race 1 in the doc).
 */
async function pickFromQuickInput(
  page: Page,
  key: string,
  text: string,
  label: RegExp,
  what: string,
  timeout: number,
): Promise<void> {
  let lastSeen: string[] = [];
  await retry(
    what,
    async () => {
      debug(`${key} ${text}`);
      await page.keyboard.press(key);
      const input = page.locator(QUICK_INPUT);
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(text);
      const row = page
        .locator(QUICK_ROW)
        .filter({ has: page.locator('.label-name', { hasText: label }) })
        .first();
      if (await succeeds(row.waitFor({ timeout: 3_000 }))) {
        debug(`click row ${label}`);
        await row.click();
        // Not retried past this point: the pick has run, and running a command twice is worse.
        await input.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
        return true;
      }
      lastSeen = await visibleQuickInputText(page);
      await page.keyboard.press('Escape');
      return undefined;
    },
    { timeout },
  ).catch((err: Error) => {
    err.message += `; it showed: ${JSON.stringify(lastSeen)}`;
    throw err;
  });
}

/** The first rows of the open quick input, or its message ("No matching commands"). */
async function visibleQuickInputText(page: Page): Promise<string[]> {
  const rows = (await page.locator(QUICK_ROW).allInnerTexts()).slice(0, 5).map((r) => r.replace(/\s+/g, ' ').trim());
  if (rows.length) return rows;
  return (await page.locator('.quick-input-widget .quick-input-message').allInnerTexts()).filter(Boolean);
}

const exactly = (s: string) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Opens a workspace file by name through Quick Open (Ctrl+P) and waits for its tab to be active. */
export async function openFile(page: Page, fileName: string, timeout = 30_000): Promise<void> {
  // first(): a window that restored the file in two editor groups has an active tab for it in each
  // (a locator matching two elements fails in strict mode: the latent E2E retried 67 times on it).
  const tab = page.locator('.tab.active', { hasText: fileName }).first();
  await retry(
    `${fileName} did not open`,
    async () => {
      await pickFromQuickInput(
        page,
        'Control+p',
        fileName,
        exactly(fileName),
        `Quick Open did not list ${fileName}`,
        timeout,
      );
      if (await succeeds(tab.waitFor({ timeout: 10_000 }))) return true;
      // The click on the row was lost (seen on a busy machine: Quick Open stayed open on the file):
      // close it and pick again. Opening a file twice is harmless.
      await page.keyboard.press('Escape');
      return undefined;
    },
    { timeout: 2 * timeout },
  );
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout });
}

/**
 * Runs a command from the palette by its full title as shown there ("Category: Title"), e.g.
 * `runCommand(page, 'Hello: Say Hi')`. Reopens the palette until the command is listed.
 */
export async function runCommand(page: Page, title: string, timeout = 30_000): Promise<void> {
  await pickFromQuickInput(
    page,
    'Control+Shift+p',
    `>${title}`,
    exactly(title),
    `command "${title}" never appeared in the palette`,
    timeout,
  );
}

/**
 * Picks the row labelled exactly `label` in the quick pick that is open now (one a command opened,
 * e.g. "Preferences: Color Theme"), typing the label to filter it. Retried while the list loads.
 */
export async function pickInOpenQuickInput(page: Page, label: string, timeout = 30_000): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  const row = page
    .locator(QUICK_ROW)
    .filter({ has: page.locator('.label-name', { hasText: exactly(label) }) })
    .first();
  await retry(
    `the open quick pick never listed "${label}"`,
    async () => {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      await input.fill(label);
      if (!(await succeeds(row.waitFor({ timeout: 3_000 })))) return undefined;
      debug(`click row ${label}`);
      await row.click();
      await input.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
      return true;
    },
    { timeout },
  );
}

const TOAST_MESSAGES = '.notifications-toasts .notification-list-item-message';
const CENTER_MESSAGES = '.notifications-center .notification-list-item-message';

/** Messages of the notifications now shown: toasts (they hide themselves after some seconds) and the center, if open. */
export async function readNotifications(page: Page): Promise<string[]> {
  return page.locator(`${TOAST_MESSAGES}, ${CENTER_MESSAGES}`).allInnerTexts();
}

/** Waits for a notification whose message matches, as a toast or in the notification center. */
export async function waitForNotification(page: Page, message: string | RegExp, timeout = 30_000): Promise<string> {
  const match = page.locator(`${TOAST_MESSAGES}, ${CENTER_MESSAGES}`).filter({ hasText: message }).first();
  debug(`wait for notification ${message}`);
  let centerOpen = false;
  try {
    return await retry(
      `no notification matching ${message}`,
      async () => {
        if (await succeeds(match.waitFor({ timeout: 2_000 }))) return match.innerText();
        if (!centerOpen) {
          // The toast may already be gone: its message stays in the notification center.
          await runCommand(page, 'Notifications: Show Notifications', 10_000);
          centerOpen = true;
        }
        return undefined;
      },
      { timeout },
    );
  } catch (err) {
    (err as Error).message += `; shown: ${JSON.stringify(await readNotifications(page).catch(() => []))}`;
    throw err;
  }
}

const HOVER = '.monaco-hover-content';

/** Moves the cursor of the active editor to 1-based `line`:`column` with Go to Line (Ctrl+G). */
export async function goToPosition(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+g');
  const input = page.locator(QUICK_INPUT);
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 3_000 });
}

/**
 * Shows the hover at 1-based `line`:`column` of the active editor (keyboard: Ctrl+K Ctrl+I) and
 * returns its text once it matches `expect`. Retried: the provider registers when the extension activates.
 */
export async function hoverAt(
  page: Page,
  line: number,
  column: number,
  expect: string | RegExp,
  timeout = 30_000,
): Promise<string> {
  return retry(
    `no hover matching ${expect} at ${line}:${column}`,
    async () => {
      await page.keyboard.press('Escape');
      await goToPosition(page, line, column);
      await page.keyboard.press('Control+k');
      await page.keyboard.press('Control+i');
      return readHover(page, expect, 3_000);
    },
    { timeout },
  );
}

/**
 * Hovers the mouse over the first occurrence of `token` in the visible editor lines and returns the
 * hover's text once it matches `expect`. Aims at the token's own characters (a DOM Range), so it
 * works when a whole line is one span (a language without a tokenizer).
 */
export async function hoverToken(
  page: Page,
  token: string,
  expect: string | RegExp,
  timeout = 30_000,
): Promise<string> {
  const line = page.locator('.monaco-editor .view-line', { hasText: token }).first();
  return retry(
    `no hover matching ${expect} over "${token}"`,
    async () => {
      await page.keyboard.press('Escape'); // a keyboard-opened hover would stay in front
      await page.mouse.move(0, 0); // leave, so the next hover is a fresh one
      const at = await line.evaluate(centerOfText, token);
      if (!at) throw new Error(`"${token}" not found in a visible editor line`);
      await page.mouse.move(at.x, at.y, { steps: 2 });
      return readHover(page, expect, 3_000);
    },
    { timeout },
  );
}

/**
 * Runs in the browser: viewport centre of the first occurrence of `text` in `root`'s text, which
 * may span several text nodes (a tokenized line is one span per token).
 */
function centerOfText(root: Element, text: string): { x: number; y: number } | null {
  const nodes: { node: Text; start: number }[] = [];
  let all = '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push({ node: n as Text, start: all.length });
    all += (n.textContent ?? '').replace(/\u00a0/g, ' ');
  }
  const i = all.indexOf(text);
  if (i < 0) return null;
  // The text node holding character `offset` (for an end offset: the one it closes).
  const locate = (offset: number, end: boolean) => {
    const hit = nodes.find((x) =>
      end
        ? offset > x.start && offset <= x.start + x.node.length
        : offset >= x.start && offset < x.start + x.node.length,
    )!;
    return { node: hit.node, offset: offset - hit.start };
  };
  const start = locate(i, false);
  const end = locate(i + text.length, true);
  const range = document.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset);
  const b = range.getBoundingClientRect();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

async function readHover(page: Page, expect: string | RegExp, timeout: number): Promise<string | undefined> {
  const hover: Locator = page.locator(HOVER).filter({ hasText: expect }).first();
  if (await succeeds(hover.waitFor({ timeout }))) return hover.innerText();
  // A hover still "Loading..." waits for a slow provider (a busy extension host or language
  // server): give it longer rather than start it over.
  const loading = page
    .locator(HOVER)
    .filter({ hasText: /^\s*Loading\.\.\.\s*$/ })
    .first();
  if (!(await loading.isVisible().catch(() => false))) return undefined;
  const t0 = Date.now();
  const ok = await succeeds(hover.waitFor({ timeout: 15_000 }));
  debug(`hover was loading for ${timeout + Date.now() - t0} ms${ok ? '' : ', still no match'}`);
  return ok ? hover.innerText() : undefined;
}

export interface Problem {
  /** The row's accessible label, e.g. "Warning: TODO left in greeting at line 3 and character 1." */
  label: string;
  /** The row's text: message, source if any, and "[Ln 3, Col 1]". */
  text: string;
  /** The file the problem is in: the name on the file row above it (e.g. "model.nn.json"). */
  file: string;
}

/**
 * Opens the Problems panel (Ctrl+Shift+M) and returns its marker rows (file rows excluded) once at
 * least `minCount` of them satisfy `match` (default: any row), e.g. diagnostics that appear later.
 */
export async function readProblems(
  page: Page,
  minCount = 0,
  timeout = 30_000,
  match: (p: Problem) => boolean = () => true,
): Promise<Problem[]> {
  await page.keyboard.press('Control+Shift+m');
  const rows = page.locator('.markers-panel .monaco-list-row');
  // The list renders only the rows on screen: maximize the panel while reading, so that a dozen
  // problems are all there, and restore it afterwards.
  const panelAction = (label: string) =>
    page.locator(`.part.panel .title a.action-label[aria-label^="${label}"]`).first();
  await page
    .locator('.markers-panel')
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  // (The panel's title actions appear a moment after the panel; already maximized, there is none.)
  const maximized = await succeeds(panelAction('Maximize Panel').click({ timeout: 5_000 }));
  debug(`problems panel maximized: ${maximized}`);
  let seen: Problem[] = [];
  try {
    return await retry(
      `Problems panel has fewer than ${minCount} matching problems`,
      async () => {
        await page.locator('.markers-panel').waitFor({ timeout: 3_000 });
        // One reading of all rows in the page: the list re-renders when diagnostics change, and a row
        // read one call at a time may be gone by the next call.
        const read = await rows.evaluateAll((els) =>
          els.map((el) => ({
            index: Number(el.getAttribute('data-index') ?? NaN),
            label: el.getAttribute('aria-label') ?? '',
            marker: !!el.querySelector('.marker-icon, .codicon-warning, .codicon-error, .codicon-info'),
            text: (el as HTMLElement).innerText,
            name: el.querySelector('.label-name')?.textContent ?? null,
          })),
        );
        const all: Problem[] = [];
        let file = '';
        // Rows are positioned absolutely; their DOM order need not be the list's (data-index) order.
        if (read.every((r) => Number.isFinite(r.index))) read.sort((a, b) => a.index - b.index);
        for (const row of read) {
          if (row.marker) all.push({ label: row.label, text: row.text, file });
          else file = (row.name ?? row.text).trim();
        }
        seen = all;
        return all.filter(match).length >= minCount ? all : undefined;
      },
      { timeout },
    );
  } catch (err) {
    (err as Error).message +=
      `; it showed: ${JSON.stringify(seen.map((p) => `${p.file}: ${p.text.replace(/\s+/g, ' ')}`))}`;
    throw err;
  } finally {
    if (maximized)
      await panelAction('Restore Panel')
        .click({ timeout: 3_000 })
        .catch(() => undefined);
  }
}
