import { parentPort, workerData } from 'node:worker_threads';
import { DataError } from '../data/dataError';
import { nodeFileAccess } from '../data/fileAccess';
import { scanText } from '../data/textScan';
import type { TextScanReply, TextScanRequest } from './textScans';

/*
 * Scans one text data file for the editor's validation (textScans.ts) off the extension host's
 * thread, and answers with the counts or the error, for the file as it was stamped before reading.
 */
const port = parentPort;
if (!port) throw new Error('textScanWorker must run in a worker thread');
const { file } = workerData as TextScanRequest;
const stamp = nodeFileAccess.stamp?.(file);
let reply: TextScanReply;
try {
  reply = { file, stamp, scan: scanText(file, nodeFileAccess) };
} catch (e) {
  const err =
    e instanceof DataError
      ? e
      : new DataError(file, {}, `cannot read the file (${(e as Error).message})`, 'dataUnreadable');
  reply = { file, stamp, error: { where: err.where, detail: err.detail, code: err.code } };
}
port.postMessage(reply);
