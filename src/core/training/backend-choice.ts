/**
 * How `auto` picks a tfjs backend, as pure decisions (the engine gathers the facts):
 * - a GPU backend on a software renderer (SwiftShader, llvmpipe, lavapipe, Microsoft Basic
 *   Render Driver, ANGLE on SwiftShader, a WebGPU fallback adapter) never wins over wasm;
 * - among the rest, a short probe (a few training steps of a small batch) decides, and its
 *   result is cached per browser under a key made of the adapters' descriptions and the app
 *   version;
 * - what was chosen and why is one sentence the run's header shows.
 */

export type ChoiceBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What the engine saw of one GPU backend before initialising tfjs on it. */
export interface GpuLook {
  name: 'webgpu' | 'webgl';
  /** false: no adapter or context at all (no navigator.gpu, requestAdapter() null, no WebGL2) */
  available: boolean;
  /** the adapter or renderer as the browser describes it ('' when it says nothing) */
  description: string;
  /** WebGPU's isFallbackAdapter: the browser itself says the adapter is a software one */
  fallbackAdapter?: boolean;
  /** why it is not available, when it is not */
  problem?: string;
}

const SOFTWARE_RENDERERS: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver'],
  [/software (rasterizer|renderer|adapter)/i, 'a software rasterizer'],
];

/**
 * The software renderer behind an adapter or renderer description, or null for a hardware
 * one. A WebGPU adapter that says it is a fallback adapter is software whatever its name.
 */
export function softwareRenderer(description: string, fallbackAdapter = false): string | null {
  for (const [pattern, name] of SOFTWARE_RENDERERS) if (pattern.test(description)) return name;
  return fallbackAdapter ? 'a fallback (software) adapter' : null;
}

/** A probe's result for one backend: the median ms of a timed training step, or why it has none. */
export interface ProbeResult {
  name: ChoiceBackend;
  /** null when the backend failed, or its warm-up step alone used up its share of the budget */
  msPerStep: number | null;
  /** the first (warm-up) step, shader compilation included */
  warmupMs: number;
  /** timed steps behind msPerStep */
  steps: number;
  error?: string;
}

/** The persisted record of one probe: what ran where, and when. */
export interface ProbeRecord {
  key: string;
  results: ProbeResult[];
  at: number;
}

/** What a probe's answer depends on: the GPU adapters it ran on, the app version, the CPU's logical cores (wasm's speed) and the probe's workload. */
export function probeCacheKey(probed: GpuLook[], appVersion: string, cores: number, workload: string): string {
  const adapters = probed.map((g) => `${g.name}=${g.description || '?'}`).sort();
  return `v${appVersion}|${workload}|cores=${cores}|${adapters.join('|')}`;
}

export interface Candidates {
  /** GPU backends worth probing: available, on a hardware adapter */
  hardware: GpuLook[];
  /** GPU backends left out, each with why */
  excluded: { name: 'webgpu' | 'webgl'; reason: string; software: string | null }[];
}

/**
 * Splits GPU backends into those worth probing and those left out. `probeSoftware` (tests
 * only) probes software renderers too, so the probe path can run on a machine without a GPU.
 */
export function sortCandidates(gpus: GpuLook[], probeSoftware = false): Candidates {
  const hardware: GpuLook[] = [];
  const excluded: Candidates['excluded'] = [];
  for (const gpu of gpus) {
    if (!gpu.available) {
      excluded.push({ name: gpu.name, reason: gpu.problem ?? 'not available', software: null });
      continue;
    }
    const software = softwareRenderer(gpu.description, gpu.fallbackAdapter);
    if (software && !probeSoftware) {
      excluded.push({
        name: gpu.name,
        reason: `a software renderer (${software}${gpu.description ? `: ${gpu.description}` : ''}), never chosen over wasm`,
        software,
      });
    } else hardware.push(gpu);
  }
  return { hardware, excluded };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/**
 * The backend a probe says is fastest: the lowest median step time; a backend without one
 * (failed, or too slow to finish a warm-up step in its share) never wins. Ties keep the
 * order given (GPU first). Null when nothing has a time.
 */
export function probeWinner(results: ProbeResult[]): ProbeResult | null {
  let best: ProbeResult | null = null;
  for (const r of results) if (r.msPerStep !== null && (!best || r.msPerStep < best.msPerStep!)) best = r;
  return best;
}

/** Why the winner won, in words, with the probe's figures: "faster here than webgl (probe 0.13 s vs 0.45 s a step)". */
export function probeReason(winner: ProbeResult, results: ProbeResult[], cached: boolean): string {
  const beat = results
    .filter((r) => r !== winner)
    .map((r) =>
      r.msPerStep !== null
        ? `${r.name} (probe ${seconds(winner.msPerStep!)} vs ${seconds(r.msPerStep)} a step)`
        : `${r.name} (no time in the probe: ${r.error ?? `its warm-up step took ${seconds(r.warmupMs)}`})`,
    );
  const source = cached ? ', by the probe cached in this browser' : '';
  return beat.length ? `faster here than ${beat.join(' and ')}${source}` : `the only backend the probe could time${source}`;
}

/** Why wasm was chosen without a probe: no GPU backend here runs on hardware. */
export function noProbeReason(excluded: Candidates['excluded']): string {
  const software = excluded.filter((e) => e.software);
  const missing = excluded.filter((e) => !e.software);
  const parts: string[] = [];
  if (software.length) {
    const renderers = [...new Set(software.map((s) => s.software))].join(', ');
    parts.push(
      `${software.map((s) => s.name).join(' and ')} ${software.length > 1 ? 'run' : 'runs'} on a software renderer here (${renderers}), never faster than wasm`,
    );
  }
  if (missing.length) parts.push(`${missing.map((m) => m.name).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not available`);
  return parts.length ? parts.join('; ') : 'no GPU backend here';
}

/** The header line: "wasm, 2 threads: <reason>". */
export function choiceHeadline(info: { name: ChoiceBackend; requested: string; threads?: number; reason?: string }): string {
  const threads = info.name === 'wasm' && info.threads ? `, ${info.threads} thread${info.threads === 1 ? '' : 's'}` : '';
  const reason = info.reason ?? (info.requested === info.name ? 'chosen in the settings' : '');
  return `${info.name}${threads}${reason ? `: ${reason}` : ''}`;
}

/**
 * Reads a cached probe from what a browser stored (any JSON), or null when it is missing,
 * malformed or for another key: a bad cache only costs a new probe.
 */
export function readProbeCache(stored: unknown, key: string): ProbeRecord | null {
  if (!stored || typeof stored !== 'object') return null;
  const record = (stored as Record<string, unknown>)[key];
  if (!record || typeof record !== 'object') return null;
  const { results, at } = record as { results?: unknown; at?: unknown };
  if (!Array.isArray(results) || typeof at !== 'number' || results.length > 4) return null;
  const names = new Set<string>(['webgpu', 'webgl', 'wasm', 'cpu']);
  const ok = results.every(
    (r) =>
      r &&
      typeof r === 'object' &&
      names.has((r as ProbeResult).name) &&
      ((r as ProbeResult).msPerStep === null || (Number.isFinite((r as ProbeResult).msPerStep) && (r as ProbeResult).msPerStep! >= 0)) &&
      Number.isFinite((r as ProbeResult).warmupMs) &&
      Number.isInteger((r as ProbeResult).steps) &&
      ((r as ProbeResult).error === undefined || typeof (r as ProbeResult).error === 'string'),
  );
  return ok ? { key, results: results as ProbeResult[], at } : null;
}

/** The stored cache with one record put in, keeping the `keep` newest keys (a browser may change GPUs). */
export function writeProbeCache(stored: unknown, record: ProbeRecord, keep = 8): Record<string, ProbeRecord> {
  const entries =
    stored && typeof stored === 'object' && !Array.isArray(stored) ? Object.entries(stored as Record<string, ProbeRecord>) : [];
  const kept = entries
    .filter(([k, v]) => k !== record.key && v && typeof v === 'object' && typeof v.at === 'number')
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, keep - 1);
  return Object.fromEntries([[record.key, record], ...kept]);
}
