import { parentPort, workerData } from 'node:worker_threads';
import { DataError } from '../data/dataError';
import { nodeFileAccess } from '../data/fileAccess';
import { scanText } from '../data/textScan';
import type { TextScanReply, TextScanRequest } from './textScans';
import { setLocale, t } from '../l10n';
import { loadBundle } from '../util/l10nBundle';

/*
 * Scans one text data file for the editor's validation (textScans.ts) off the extension host's
 * thread, and answers with the counts or the error, for the file as it was stamped before reading.
 */
const port = parentPort;
if (!port) throw new Error('textScanWorker must run in a worker thread');
const { file, locale } = workerData as TextScanRequest;
// Its errors are shown as they are: in the host's display language.
setLocale(locale ?? 'en', loadBundle(locale ?? 'en'));
const stamp = nodeFileAccess.stamp?.(file);
let reply: TextScanReply;
try {
  reply = { file, stamp, scan: scanText(file, nodeFileAccess) };
} catch (e) {
  const err =
    e instanceof DataError
      ? e
      : new DataError(file, {}, t('cannot read the file ({0})', (e as Error).message), 'dataUnreadable');
  reply = { file, stamp, error: { where: err.where, detail: err.detail, code: err.code } };
}
port.postMessage(reply);
