import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { zipFiles } from '../../src/core/data/zip';

describe('zipFiles', () => {
  it('round-trips text and binary files', () => {
    const weights = new Uint8Array(1000).map((_, i) => (i * 37) & 255);
    const zip = zipFiles([
      { name: 'net.json', data: '{"a":1}' },
      { name: 'net.weights.bin', data: weights },
    ]);
    expect([...zip.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const out = unzipSync(zip);
    expect(Object.keys(out).sort()).toEqual(['net.json', 'net.weights.bin']);
    expect(strFromU8(out['net.json'])).toBe('{"a":1}');
    expect([...out['net.weights.bin']]).toEqual([...weights]);
  });
  it('is reproducible for the same files', () => {
    const files = [{ name: 'a.yaml', data: 'x: 1\n' }];
    expect([...zipFiles(files)]).toEqual([...zipFiles(files)]);
  });
  it('refuses names that would leave the folder, and duplicates', () => {
    expect(() => zipFiles([{ name: '../evil', data: '' }])).toThrow(/cannot put/);
    expect(() => zipFiles([{ name: '/abs', data: '' }])).toThrow(/cannot put/);
    expect(() =>
      zipFiles([
        { name: 'a', data: '' },
        { name: 'a', data: '' },
      ]),
    ).toThrow(/two files/);
  });
  it('allows one folder level', () => {
    expect(Object.keys(unzipSync(zipFiles([{ name: 'sub/a.txt', data: 'a' }])))).toEqual(['sub/a.txt']);
  });
});
