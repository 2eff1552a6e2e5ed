/*
 * Hovers are trusted Markdown (they carry the extension's own command links), so any text from a
 * model file or run record (layer names, details) must be inert: a name such as
 * `[x](command:…)` or `![](https://…)` would otherwise become a live command link or a remote
 * image. Every character Markdown (CommonMark, and VS Code's $(icon) syntax) could read as syntax
 * is backslash-escaped, and line breaks become spaces so a name cannot start a new block.
 */
const MARKDOWN_SYNTAX = /[\\`*_{}[\]()<>#+\-.!|~$&:"'=]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(MARKDOWN_SYNTAX, (c) => `\\${c}`);
}
