// An in-host suite that must fail: proves a failing assertion reaches the outer test as a
// non-zero exit code (the wiring cannot pass by accident).
import assert from 'node:assert/strict';
import { runHostTests } from './runner';

export async function run(): Promise<void> {
  await runHostTests('deliberately failing', [['one plus one', () => assert.equal(1 + 1, 3)]]);
}
