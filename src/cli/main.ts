import { exportCommand } from './exportCommand';
import { importCommand } from './importCommand';
import { compareCommand, runsCommand } from './runsCommand';
import { CliError } from './loadModel';
import { trainCommand } from './trainCommand';
import { summaryCommand, validateCommand } from './validateCommand';
import { safeWriteStream } from '../util/terminalText';
import { msg, t } from '../l10n';
import { useEnvironmentLocale } from '../util/l10nBundle';

const USAGE_TEXT = msg(`usage: glassbox <command> [options]

commands:
  train <file.nn.json> [--json] [--epochs N] [--threads N]
                                               train a model, with live progress and a run record
  train --resume <run folder> [--json] [--epochs N] [--threads N]
                                               continue a run from its last completed epoch
                                               (text models: --iterations N instead of --epochs)
  validate <file.nn.json>                      report every problem as path:line:column: message,
                                               or print the layer/shape summary
  summary <file.nn.json>                       table of layers, output shapes and parameters
  export <file.nn.json | run folder> --pytorch <dir>
                                               write a PyTorch project: model.py, weights.npz,
                                               train.py, verify.py, README.md (docs/pytorch.md)
  import <weights.npz> --into <file.nn.json | run folder> [--json]
                                               weights trained by an exported train.py → a run record
  runs [folder]                                every run record under the folder (default: here),
                                               newest first, grouped by model file
  compare <run folder> <run folder>...         the settings that differ and the final results

options:
  --json        train: JSON Lines on stdout; the last line is {"event":"done",...}
  --epochs N    train to N epochs instead of the file's setting
  --iterations N  text models: train to N iterations instead of the file's setting
  --threads N   train: threads for the kernels (default min(2, cores); 1: one thread; float64 results are the same on any count)
  -h, --help    this help

exit codes: 0 ok, 1 problems in the model, data or run record, 2 usage error, 3 diverged (NaN or infinite loss), 130 interrupted (Ctrl-C)`);
const usage = () => t(USAGE_TEXT);

interface Args {
  command?: string;
  file?: string;
  json: boolean;
  resume?: string;
  epochs?: number;
  threads?: number;
  iterations?: number;
  help: boolean;
  pytorch?: string;
  into?: string;
  /** Positional arguments after the file (compare takes several run folders). */
  more: string[];
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { json: false, help: false, more: [] };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new CliError(`${t('{0} needs a value', s)}\n\n${usage()}`, 2);
      return v;
    };
    if (s === '--json') a.json = true;
    else if (s === '-h' || s === '--help') a.help = true;
    else if (s === '--resume') a.resume = value();
    else if (s === '--pytorch') a.pytorch = value();
    else if (s === '--into') a.into = value();
    else if (s === '--epochs') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1)
        throw new CliError(t("--epochs needs a positive integer, got '{0}'", argv[i]), 2);
      a.epochs = n;
    } else if (s === '--iterations') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1)
        throw new CliError(t("--iterations needs a positive integer, got '{0}'", argv[i]), 2);
      a.iterations = n;
    } else if (s === '--threads') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1)
        throw new CliError(t("--threads needs a positive integer, got '{0}'", argv[i]), 2);
      a.threads = n;
    } else if (s.startsWith('-')) throw new CliError(`${t("unknown option '{0}'", s)}\n\n${usage()}`, 2);
    else if (!a.command) a.command = s;
    else if (!a.file) a.file = s;
    else if (a.command === 'compare') a.more.push(s);
    else throw new CliError(`${t("unexpected argument '{0}'", s)}\n\n${usage()}`, 2);
  }
  return a;
}

export async function main(
  argv: readonly string[],
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  // Names, paths, samples and messages may carry a model file's or data file's control characters.
  useEnvironmentLocale();
  out = safeWriteStream(out);
  err = safeWriteStream(err);
  try {
    const a = parseArgs(argv);
    if (a.help || !a.command) {
      (a.help ? out : err).write(usage() + '\n');
      return a.help ? 0 : 2;
    }
    const needFile = () => {
      if (!a.file)
        throw new CliError(`${t('{0}: expected a model file (*.nn.json)', a.command ?? '')}\n\n${usage()}`, 2);
      return a.file;
    };
    switch (a.command) {
      case 'train':
        return await trainCommand(
          a.file,
          { json: a.json, resume: a.resume, epochs: a.epochs, threads: a.threads, iterations: a.iterations },
          out,
          err,
        );
      case 'validate':
        return validateCommand(needFile(), out, err);
      case 'summary':
        return summaryCommand(needFile(), out, err);
      case 'export':
        return exportCommand(a.file, a.pytorch, out);
      case 'import':
        return importCommand(a.file, a.into, a.json, out);
      case 'runs':
        return runsCommand(a.file, out);
      case 'compare':
        return compareCommand(a.file ? [a.file, ...a.more] : [], out);
      default:
        throw new CliError(`${t("unknown command '{0}'", a.command)}\n\n${usage()}`, 2);
    }
  } catch (e) {
    if (e instanceof CliError) {
      err.write(`glassbox: ${e.message}\n`);
      return e.exitCode;
    }
    // File-system failures (a full disk, a read-only or missing folder) are the user's to fix:
    // say what and where, without a stack trace. Anything else is a bug in Glassbox.
    const io = fileSystemProblem(e);
    if (io) {
      err.write(`glassbox: ${io}\n`);
      return 1;
    }
    err.write(`glassbox: ${t('internal error: {0}', String((e as Error).stack ?? e))}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

const IO_CODES: Record<string, string> = {
  ENOSPC: msg('no space left on the device'),
  EDQUOT: msg('disk quota exceeded'),
  EROFS: msg('the file system is read-only'),
  EACCES: msg('permission denied'),
  EPERM: msg('operation not permitted'),
  ENOTDIR: msg('a part of the path is a file, not a folder'),
  EEXIST: msg('a file is in the way'),
  EIO: msg('input/output error'),
  EMFILE: msg('too many open files'),
  ENAMETOOLONG: msg('the path is too long'),
};

/** A clear sentence for an operating-system file error, or undefined for anything else. */
export function fileSystemProblem(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  const what = err && typeof err.code === 'string' ? IO_CODES[err.code] : undefined;
  if (!what) return undefined;
  const where = err.path ? ` (${err.syscall ?? 'at'} ${err.path})` : '';
  return t(
    'cannot read or write the run record: {0}{1} [{2}]; the run, if it had started, is marked failed',
    t(what),
    where,
    err.code ?? '',
  );
}
