// The E2E harness: a real VS Code (code-server) driven headless by playwright-core in Debian's chromium.
// See test/e2e/README.md.
export { captureArtifacts, slug } from './artifacts';
export { CHROMIUM_ARGS, launchBrowser, type Browser } from './browser';
export {
  extensionId,
  installExtensionFromFolder,
  readManifest,
  validateExtensionFolder,
  type ExtensionManifest,
} from './extension';
export { runExtensionHostTests, type HostTestOptions, type HostTestResult } from './hostTests';
export { listFiles, outputChannelFiles, readOutputChannel } from './logs';
export { assertInstalled, e2ePaths, type E2EPaths } from './paths';
export { retry, succeeds, type RetryOptions } from './retry';
export { startCodeServer, type CodeServer, type ServerOptions } from './server';
export { startSession, type E2ESession, type SessionOptions } from './session';
export { countPaintedPixels, findWebviewFrame, readWebviewText, reviveWebview, waitForWebviewMarker } from './webview';
export {
  goToPosition,
  hoverAt,
  hoverToken,
  openFile,
  openWorkspace,
  pickInOpenQuickInput,
  readNotifications,
  readProblems,
  reloadWindow,
  runCommand,
  waitForNotification,
  type Problem,
} from './workbench';
