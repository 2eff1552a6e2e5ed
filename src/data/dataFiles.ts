import { isAbsolute, relative } from 'node:path';
import { dataPathResolver } from './dataSource';
import type { DataSpec } from './dataSpec';

/** The user files a data source reads (absolute paths); none for the built-in datasets. */
export function dataFilesOf(spec: DataSpec, modelFile: string): string[] {
  const resolve = dataPathResolver(modelFile);
  switch (spec.type) {
    case 'csv':
    case 'text':
    case 'imageFolder':
      return [resolve(spec.path)];
    case 'idx':
      return [spec.trainImages, spec.trainLabels, spec.testImages, spec.testLabels].map(resolve);
    default:
      return [];
  }
}

/** True when `file` is `folder` or inside it (no `..` escape, same drive). */
export function isInside(folder: string, file: string): boolean {
  const r = relative(folder, file);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
