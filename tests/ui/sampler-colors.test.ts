import { describe, expect, it } from 'vitest';
import { samplerColor, samplerColors } from '../../src/ui/charts/palette';
import { samplerKinds, samplerRegistry } from '../../src/core/sampling/sampler-registry';

describe('sampler colours', () => {
  it('give every registry kind its own colour through its colour key', () => {
    for (const kind of samplerKinds) expect(samplerColors[samplerRegistry[kind].colorKey], kind).toMatch(/^#[0-9a-f]{6}$/);
    const colours = samplerKinds.map(samplerColor);
    expect(new Set(colours).size).toBe(samplerKinds.length);
    expect(colours).not.toContain('#888888');
  });

  it("draw a kind the registry does not know in grey, not in another sampler's colour", () => {
    expect(samplerColor('randomup')).toBe('#888888');
    expect(samplerColor('constructor')).toBe('#888888');
  });
});
