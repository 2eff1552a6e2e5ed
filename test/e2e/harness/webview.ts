// Webviews are two iframes deep: iframe.webview (VS Code's host page, pre/index.html) holds
// iframe#active-frame (the extension's HTML, served as pre/fake.html). With several webviews open,
// pick the inner frame by something in its DOM (testing-in-vscode.md §5.2).
import type { Frame, Page } from 'playwright-core';
import { retry } from './retry';

const WEBVIEW_CONTENT_URL = '/webview/browser/pre/fake.html';

/** The content frame of the webview whose DOM matches `selector` (e.g. '#glassbox-panel'). */
export async function findWebviewFrame(page: Page, selector: string, timeout = 30_000): Promise<Frame> {
  return retry(
    `no webview with ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        if (!frame.url().includes(WEBVIEW_CONTENT_URL) || frame.isDetached()) continue;
        if (
          await frame
            .locator(selector)
            .count()
            .catch(() => 0)
        )
          return frame;
      }
      return undefined;
    },
    { timeout },
  );
}

/**
 * The content frame, matching `selector`, of a webview restored by a window reload (see reloadWindow).
 * The workbench restores its tab, perhaps behind another editor of its group, and revives a webview
 * only when it is shown: click the tab `tabTitle`, again if the restored editors take focus back.
 */
export async function reviveWebview(page: Page, tabTitle: string, selector: string, timeout = 90_000): Promise<Frame> {
  const tab = page.locator('.tabs-container .tab', { hasText: tabTitle });
  return retry(
    `the webview of the tab "${tabTitle}" was not revived (no ${selector})`,
    async () => {
      await tab.click({ timeout: 10_000 });
      return findWebviewFrame(page, selector, 10_000).catch(() => undefined);
    },
    { timeout },
  );
}

/**
 * Waits for a "done" marker the webview sets itself (e.g. 'body[data-done="1"]'): never sleep for
 * async rendering (race 2 in the doc).
 */
export async function waitForWebviewMarker(frame: Frame, selector: string, timeout = 30_000): Promise<void> {
  await frame.locator(selector).first().waitFor({ state: 'attached', timeout });
}

export async function readWebviewText(frame: Frame, selector = 'body'): Promise<string> {
  return frame.locator(selector).first().innerText();
}

/** Number of pixels with non-zero alpha in a 2D canvas: > 0 means something was drawn. */
export async function countPaintedPixels(frame: Frame, canvasSelector = 'canvas'): Promise<number> {
  return frame
    .locator(canvasSelector)
    .first()
    .evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('canvas has no 2d context');
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
      return painted;
    });
}
