// VS Code's own logs under --user-data-dir: logs/<timestamp>/{remoteagent.log, exthost1/remoteexthost.log, ...}.
// Output channels are written there too (§7 of the doc): a plain channel as
// exthost1/output_logging_*/N-<name>.log, a log channel (createOutputChannel(name, { log: true }))
// as exthost1/<publisher.extension>/<name>.log.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Every file below `dir`, depth first. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** The log files of the Output channel `channel` (an extension's createOutputChannel name). */
export function outputChannelFiles(userDataDir: string, channel: string): string[] {
  return listFiles(join(userDataDir, 'logs')).filter((f) => {
    if (f.includes('output_logging_')) return basename(f).replace(/^\d+-/, '') === `${channel}.log`;
    return basename(f) === `${channel}.log` && /^exthost\d*$/.test(basename(dirname(dirname(f))));
  });
}

/** Text of an Output channel so far ('' if it has not written yet). */
export function readOutputChannel(userDataDir: string, channel: string): string {
  return outputChannelFiles(userDataDir, channel)
    .map((f) => readFileSync(f, 'utf8'))
    .join('');
}
