import { describe, expect, it } from 'vitest';
import { attentiveNasYaml, toAttentiveNasConfig, toYaml, type AttentiveNasStage } from '../../src/core/space/attentivenas-config';
import { presetNames, presetSpace } from '../../src/core/space/presets';
import { Rng } from '../../src/core/training/rng';
import { largestSubnet, smallestSubnet } from '../../src/core/space/subnet';
import { sampleUniform } from '../../src/core/sampling/uniform-sampler';

const tiny = presetSpace('tiny');
const fashion = presetSpace('fashion');

/**
 * A reader for exactly the YAML subset the writer produces: "key: scalar", "key: [flow, list]"
 * and "key:" opening a map indented 4 more spaces; scalars are numbers, True/False and
 * single-quoted strings. Anything else throws, so a format drift fails the test.
 */
function readYaml(text: string): Record<string, unknown> {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  let i = 0;
  const scalar = (raw: string): unknown => {
    if (raw === 'True') return true;
    if (raw === 'False') return false;
    if (/^'.*'$/.test(raw)) return raw.slice(1, -1).replace(/''/g, "'");
    if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/.test(raw)) return Number(raw);
    throw new Error(`unexpected scalar ${raw}`);
  };
  const value = (raw: string): unknown => {
    if (raw.startsWith('[')) {
      if (!raw.endsWith(']')) throw new Error(`unclosed list ${raw}`);
      const inner = raw.slice(1, -1).trim();
      return inner === '' ? [] : inner.split(', ').map(scalar);
    }
    return scalar(raw);
  };
  const map = (indent: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    while (i < lines.length) {
      const line = lines[i];
      const lead = line.length - line.trimStart().length;
      if (lead < indent) break;
      if (lead !== indent) throw new Error(`bad indent at "${line}"`);
      const match = /^(\w+):(?: (.*))?$/.exec(line.slice(indent));
      if (!match) throw new Error(`bad line "${line}"`);
      i++;
      out[match[1]] = match[2] === undefined ? map(indent + 4) : value(match[2]);
    }
    return out;
  };
  const result = map(0);
  if (i !== lines.length) throw new Error(`unread line "${lines[i]}"`);
  return result;
}

describe('toAttentiveNasConfig', () => {
  it.each(presetNames)('%s: keys in reference order with the space choices', (name) => {
    const space = presetSpace(name);
    const config = toAttentiveNasConfig(space);
    expect(Object.keys(config)).toEqual(['n_classes', 'drop_out', 'supernet_config']);
    expect(config.n_classes).toBe(space.numClasses);
    expect(config.drop_out).toBe(space.dropout);
    const sc = config.supernet_config;
    const stageKeys = space.stages.map((_, i) => `mb${i + 1}`);
    expect(Object.keys(sc)).toEqual(['use_v3_head', 'resolutions', 'first_conv', ...stageKeys, 'last_conv']);
    expect(sc.use_v3_head).toBe(false);
    expect(sc.resolutions).toEqual(space.resolutions);
    expect(sc.first_conv).toEqual({ c: space.stem.widths, act_func: 'swish', s: space.stem.stride });
    expect(sc.last_conv).toEqual({ c: space.lastConv.widths, act_func: 'swish' });
    space.stages.forEach((stage, i) => {
      const mb = sc[`mb${i + 1}`] as AttentiveNasStage;
      expect(Object.keys(mb)).toEqual(['c', 'd', 'k', 't', 's', 'act_func', 'se']);
      expect(mb).toEqual({
        c: stage.widths,
        d: stage.depths,
        k: stage.kernelSizes,
        t: stage.expandRatios,
        s: stage.stride,
        act_func: 'swish',
        se: stage.squeezeExcite,
      });
    });
    expect(sc[`mb${space.stages.length + 1}`]).toBeUndefined();
    expect('active_subnet' in config).toBe(false);
  });

  it('stage entries follow the stages (fashion: 4 stages with distinct choices)', () => {
    const sc = toAttentiveNasConfig(fashion).supernet_config;
    expect((sc.mb1 as AttentiveNasStage).t).toEqual([1]);
    expect((sc.mb2 as AttentiveNasStage).s).toBe(2);
    expect((sc.mb3 as AttentiveNasStage).se).toBe(true);
    expect((sc.mb4 as AttentiveNasStage).c).toEqual([32, 40]);
    expect((sc.mb4 as AttentiveNasStage).s).toBe(1);
  });

  it('active_subnet equals the subnet, in AttentiveNAS key order, as a copy', () => {
    const rng = new Rng(1);
    const subnet = sampleUniform(fashion, rng);
    const config = toAttentiveNasConfig(fashion, subnet);
    expect(Object.keys(config)).toEqual(['n_classes', 'drop_out', 'supernet_config', 'active_subnet']);
    expect(config.active_subnet).toEqual(subnet);
    expect(Object.keys(config.active_subnet!)).toEqual(['resolution', 'width', 'depth', 'kernel_size', 'expand_ratio']);
    const before = structuredClone(config.active_subnet);
    subnet.width[0] = 999;
    subnet.resolution = 1;
    expect(config.active_subnet).toEqual(before);
  });

  it('does not share arrays with the space', () => {
    const space = presetSpace('tiny');
    const config = toAttentiveNasConfig(space);
    config.supernet_config.resolutions.push(99);
    (config.supernet_config.mb1 as AttentiveNasStage).c.push(99);
    config.supernet_config.first_conv.c.push(99);
    expect(space).toEqual(tiny);
  });
});

describe('attentiveNasYaml', () => {
  it('writes the exact expected text for the tiny preset and its smallest subnet', () => {
    const expected = [
      '# search space "tiny" (input 28x28x1) exported by NAS Studio',
      '# in the shape of AttentiveNAS configs/*.yml; merge supernet_config / active_subnet into a training config',
      'n_classes: 10',
      'drop_out: 0',
      'supernet_config:',
      '    use_v3_head: False',
      '    resolutions: [12, 16]',
      '    first_conv:',
      '        c: [8]',
      "        act_func: 'swish'",
      '        s: 2',
      '    mb1:',
      '        c: [8, 16]',
      '        d: [1, 2]',
      '        k: [3, 5]',
      '        t: [1]',
      '        s: 1',
      "        act_func: 'swish'",
      '        se: False',
      '    mb2:',
      '        c: [16, 24]',
      '        d: [1, 2]',
      '        k: [3]',
      '        t: [2, 3]',
      '        s: 2',
      "        act_func: 'swish'",
      '        se: True',
      '    last_conv:',
      '        c: [32]',
      "        act_func: 'swish'",
      'active_subnet:',
      '    resolution: 12',
      '    width: [8, 8, 16, 32]',
      '    depth: [1, 1]',
      '    kernel_size: [3, 3]',
      '    expand_ratio: [1, 2]',
      '',
    ].join('\n');
    expect(attentiveNasYaml(tiny, smallestSubnet(tiny))).toBe(expected);
  });

  it('without a subnet ends after last_conv', () => {
    const text = attentiveNasYaml(tiny);
    expect(text).not.toMatch(/^active_subnet:/m);
    expect(text.endsWith("    last_conv:\n        c: [32]\n        act_func: 'swish'\n")).toBe(true);
  });

  it.each(presetNames)('%s: parses back to the config object', (name) => {
    const space = presetSpace(name);
    const rng = new Rng(5);
    for (const subnet of [undefined, smallestSubnet(space), largestSubnet(space), sampleUniform(space, rng)]) {
      const text = attentiveNasYaml(space, subnet);
      const back = readYaml(text);
      const config = toAttentiveNasConfig(space, subnet);
      expect(back).toEqual(JSON.parse(JSON.stringify(config)));
      // key order survives too
      expect(Object.keys(back.supernet_config as object)).toEqual(Object.keys(config.supernet_config));
    }
  });

  it('a space name with line breaks or quotes cannot break out of the header comment', () => {
    const space = { ...presetSpace('tiny'), name: 'evil"\nn_classes: 1000\r\n' };
    const text = attentiveNasYaml(space);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# search space "evil\\"\\nn_classes: 1000\\r\\n" (input 28x28x1) exported by NAS Studio');
    expect(lines.filter((line) => line.startsWith('n_classes:'))).toEqual(['n_classes: 10']);
    expect(text).not.toMatch(/\r/);
    expect(readYaml(text)).toEqual(JSON.parse(JSON.stringify(toAttentiveNasConfig(space))));
  });

  it('the header names the space and its input', () => {
    const lines = attentiveNasYaml(fashion).split('\n');
    expect(lines[0]).toBe('# search space "fashion" (input 28x28x1) exported by NAS Studio');
    expect(lines[2]).toBe('n_classes: 10');
    expect(lines[3]).toBe('drop_out: 0.2');
  });
});

describe('toYaml', () => {
  it('quotes strings, doubling single quotes, and writes booleans the Python way', () => {
    expect(toYaml({ a: "it's", b: true, c: false, d: 1.5, e: [1, 2] })).toBe("a: 'it''s'\nb: True\nc: False\nd: 1.5\ne: [1, 2]");
    expect(readYaml(toYaml({ a: "it's" }))).toEqual({ a: "it's" });
  });

  it('nests maps by four spaces', () => {
    expect(toYaml({ a: { b: { c: 1 } }, d: [] })).toBe('a:\n    b:\n        c: 1\nd: []');
  });

  it('refuses values it cannot write', () => {
    expect(() => toYaml({ a: undefined })).toThrow(/toYaml cannot write undefined/);
    expect(() => toYaml({ a: null })).toThrow(/toYaml cannot write object/);
    expect(() => toYaml({ a: () => 1 })).toThrow(/toYaml cannot write function/);
  });
});
