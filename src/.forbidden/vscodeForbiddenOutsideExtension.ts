// Only src/extension may use the vscode API: the CLI, model files, datasets and run records run in
// plain Node (terminal, worker thread, tests). src/tsconfig.json maps 'vscode' here; this file is
// outside that project's file list, so importing vscode there fails the build with TS6307.
export const vscodeForbiddenOutsideExtension: never = undefined as never;
