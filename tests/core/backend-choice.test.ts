/** `auto`'s rules: software renderers never win over wasm, a probe decides among the rest, its cache, and the words. */
import { describe, expect, it } from 'vitest';
import {
  choiceHeadline,
  noProbeReason,
  probeCacheKey,
  probeReason,
  probeWinner,
  readProbeCache,
  softwareRenderer,
  sortCandidates,
  writeProbeCache,
  type GpuLook,
  type ProbeResult,
} from '../../src/core/training/backend-choice';
import { backendInfoSchema } from '../../src/core/records/run-record-schema';

// descriptions as browsers report them
const ANGLE_SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const WEBGPU_SWIFTSHADER = 'google / swiftshader';
const LLVMPIPE = 'llvmpipe (LLVM 15.0.6, 256 bits)';
const LAVAPIPE = 'mesa / lavapipe';
const BASIC_RENDER = 'ANGLE (Microsoft, Microsoft Basic Render Driver (0x0000008C) Direct3D11 vs_5_0 ps_5_0, D3D11)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)';
const NVIDIA_WEBGPU = 'nvidia / ampere';
const INTEL = 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)';
const APPLE = 'apple / metal-3';

describe('softwareRenderer', () => {
  it('names the software renderers', () => {
    expect(softwareRenderer(ANGLE_SWIFTSHADER)).toBe('SwiftShader');
    expect(softwareRenderer(WEBGPU_SWIFTSHADER)).toBe('SwiftShader');
    expect(softwareRenderer(LLVMPIPE)).toBe('llvmpipe');
    expect(softwareRenderer(LAVAPIPE)).toBe('lavapipe');
    expect(softwareRenderer(BASIC_RENDER)).toBe('Microsoft Basic Render Driver');
    expect(softwareRenderer('Google SwiftShader')).toBe('SwiftShader');
  });

  it('a WebGPU fallback adapter is software whatever it is called', () => {
    expect(softwareRenderer('', true)).toMatch(/fallback/);
    expect(softwareRenderer('google / ', true)).toMatch(/fallback/);
  });

  it('hardware stays hardware', () => {
    for (const d of [NVIDIA, NVIDIA_WEBGPU, INTEL, APPLE, '']) expect(softwareRenderer(d)).toBeNull();
  });
});

describe('sortCandidates', () => {
  const headless: GpuLook[] = [
    { name: 'webgpu', available: true, description: WEBGPU_SWIFTSHADER, fallbackAdapter: true },
    { name: 'webgl', available: true, description: ANGLE_SWIFTSHADER },
  ];

  it('headless Chromium with the WebGPU flag: both GPU backends are software, nothing to probe', () => {
    const { hardware, excluded } = sortCandidates(headless);
    expect(hardware).toEqual([]);
    expect(excluded.map((e) => [e.name, e.software])).toEqual([
      ['webgpu', 'SwiftShader'],
      ['webgl', 'SwiftShader'],
    ]);
    expect(excluded[1].reason).toContain('never chosen over wasm');
    expect(noProbeReason(excluded)).toBe('webgpu and webgl run on a software renderer here (SwiftShader), never faster than wasm');
  });

  it('without the flag: webgpu is missing and webgl is software', () => {
    const { hardware, excluded } = sortCandidates([
      { name: 'webgpu', available: false, description: '', problem: 'no WebGPU adapter (requestAdapter() returned null)' },
      headless[1],
    ]);
    expect(hardware).toEqual([]);
    expect(noProbeReason(excluded)).toBe(
      'webgl runs on a software renderer here (SwiftShader), never faster than wasm; webgpu is not available',
    );
  });

  it('hardware adapters are probed; the test switch probes software ones too', () => {
    const looks: GpuLook[] = [
      { name: 'webgpu', available: true, description: NVIDIA_WEBGPU, fallbackAdapter: false },
      { name: 'webgl', available: true, description: LLVMPIPE },
    ];
    expect(sortCandidates(looks).hardware.map((h) => h.name)).toEqual(['webgpu']);
    expect(sortCandidates(headless, true).hardware.map((h) => h.name)).toEqual(['webgpu', 'webgl']);
  });

  it('no GPU backend at all (Node)', () => {
    expect(noProbeReason(sortCandidates([]).excluded)).toBe('no GPU backend here');
  });
});

const result = (name: ProbeResult['name'], msPerStep: number | null, extra: Partial<ProbeResult> = {}): ProbeResult => ({
  name,
  msPerStep,
  warmupMs: 500,
  steps: msPerStep === null ? 0 : 2,
  ...extra,
});

describe('the probe decides', () => {
  it('the lowest step time wins; a backend without a time never does', () => {
    expect(probeWinner([result('webgpu', 60), result('webgl', 90), result('wasm', 130)])?.name).toBe('webgpu');
    expect(probeWinner([result('webgl', 450), result('wasm', 130)])?.name).toBe('wasm');
    expect(probeWinner([result('webgpu', null, { error: 'the probe failed: out of memory' }), result('wasm', 130)])?.name).toBe('wasm');
    expect(probeWinner([result('webgpu', null), result('wasm', null)])).toBeNull();
  });

  it('a tie keeps the given order (GPU first)', () => {
    expect(probeWinner([result('webgl', 100), result('wasm', 100)])?.name).toBe('webgl');
  });

  it('says why, with the figures', () => {
    const results = [result('webgl', 6100), result('wasm', 400)];
    expect(probeReason(results[1], results, false)).toBe('faster here than webgl (probe 0.40 s vs 6.10 s a step)');
    expect(probeReason(results[1], results, true)).toBe(
      'faster here than webgl (probe 0.40 s vs 6.10 s a step), by the probe cached in this browser',
    );
    const slowStart = [result('webgpu', null, { warmupMs: 4200, error: 'its warm-up step took 4.2 s' }), result('wasm', 130)];
    expect(probeReason(slowStart[1], slowStart, false)).toBe('faster here than webgpu (no time in the probe: its warm-up step took 4.2 s)');
  });

  it('the header line names the backend, its threads and the reason', () => {
    expect(
      choiceHeadline({ name: 'wasm', requested: 'auto', threads: 2, reason: 'faster here than webgl (probe 0.40 s vs 6.10 s a step)' }),
    ).toBe('wasm, 2 threads: faster here than webgl (probe 0.40 s vs 6.10 s a step)');
    expect(choiceHeadline({ name: 'wasm', requested: 'wasm', threads: 1 })).toBe('wasm, 1 thread: chosen in the settings');
    // a run stored before reasons existed
    expect(choiceHeadline({ name: 'webgl', requested: 'auto' })).toBe('webgl');
  });
});

describe('the probe cache', () => {
  const gpu: GpuLook = { name: 'webgpu', available: true, description: NVIDIA_WEBGPU };
  const key = probeCacheKey([gpu], '0.1.0', 8, 'fashion@32');
  const record = { key, results: [result('webgpu', 60), result('wasm', 130)], at: 1000 };

  it('is keyed by adapter, app version, cores and workload', () => {
    expect(key).toBe('v0.1.0|fashion@32|cores=8|webgpu=nvidia / ampere');
    expect(probeCacheKey([gpu], '0.2.0', 8, 'fashion@32')).not.toBe(key);
    expect(probeCacheKey([{ ...gpu, description: APPLE }], '0.1.0', 8, 'fashion@32')).not.toBe(key);
    expect(probeCacheKey([gpu], '0.1.0', 4, 'fashion@32')).not.toBe(key);
  });

  it('round-trips through JSON and finds its key', () => {
    const stored = JSON.parse(JSON.stringify(writeProbeCache(undefined, record)));
    expect(readProbeCache(stored, key)).toEqual(record);
    expect(readProbeCache(stored, 'another key')).toBeNull();
  });

  it('anything damaged reads as no cache', () => {
    for (const stored of [
      null,
      'text',
      42,
      [],
      { [key]: null },
      { [key]: { results: 'x', at: 1 } },
      { [key]: { results: [{ name: 'metal', msPerStep: 1, warmupMs: 1, steps: 1 }], at: 1 } },
      { [key]: { results: [{ name: 'wasm', msPerStep: -1, warmupMs: 1, steps: 1 }], at: 1 } },
      { [key]: { results: [{ name: 'wasm', msPerStep: 1, warmupMs: 1, steps: 1.5 }], at: 1 } },
    ]) {
      expect(readProbeCache(stored, key)).toBeNull();
    }
  });

  it('keeps the newest few keys', () => {
    let stored: unknown = { junk: 'not a record' };
    for (let i = 0; i < 12; i++) stored = writeProbeCache(stored, { ...record, key: `k${i}`, at: i });
    expect(Object.keys(stored as object).sort()).toEqual(['k10', 'k11', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });
});

describe('stored runs', () => {
  it('a backend record from before reasons and threads still opens; a new one keeps them', () => {
    const old = { name: 'webgl', requested: 'auto', adapter: 'ANGLE', fallbacks: [{ name: 'webgpu', reason: 'no WebGPU adapter' }] };
    expect(backendInfoSchema.parse(old)).toEqual(old);
    const current = {
      name: 'wasm',
      requested: 'auto',
      adapter: 'WebAssembly (SIMD, 2 threads)',
      fallbacks: [],
      reason: 'no GPU backend here',
      threads: 2,
    };
    expect(backendInfoSchema.parse(current)).toEqual(current);
    expect(() => backendInfoSchema.parse({ ...current, threads: 0 })).toThrow();
  });
});
