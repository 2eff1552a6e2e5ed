// The engine must not depend on vscode, Node or the DOM. src/engine/tsconfig.json maps those
// modules here; this file is outside the project's file list, so importing them fails the build
// with TS6307 naming this file.
export const importForbiddenInEngine: never = undefined as never;
