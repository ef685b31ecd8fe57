// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IGNORE_REASONS } from '../../src/types';

describe('onIgnore reasons', () => {
  it('the README lists exactly the reasons the tracker reports', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `onIgnore`'));
    expect(row, 'the README has an onIgnore row').toBeDefined();
    const listed = [...row!.split('not sent:')[1].matchAll(/`([a-z_<>]+)`/g)].map((m) => m[1]);
    expect(listed).toEqual([...IGNORE_REASONS, 'rejected_<status>']);
  });
});
