/** Exports carry the tool version; it must be the package's. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { TOOL_NAME, TOOL_VERSION } from '../../src/core/records/version';

it('matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  expect(TOOL_VERSION).toBe(pkg.version);
  expect(TOOL_NAME).toBe(pkg.name);
});
