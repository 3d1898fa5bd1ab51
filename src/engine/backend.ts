/**
 * Picks a tfjs backend: the requested one (falling back along an order when it cannot start),
 * or for `auto` the fastest here: GPU backends on a software renderer never win over wasm, and
 * among the rest a short probe decides (src/core/training/backend-choice.ts holds the rules, and
 * backend-probe.ts the probe). Reports what it got, why, and why others were not used.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import {
  noProbeReason,
  probeCacheKey,
  probeReason,
  readProbeCache,
  sortCandidates,
  type GpuLook,
  type ProbeRecord,
  type ProbeResult,
} from '../core/training/backend-choice';
import type { BackendInfo, BackendName, BackendPreference } from '../core/records/run-records';
import { TOOL_VERSION } from '../core/records/version';
import { PROBE_WORKLOAD, probeCurrentBackend, type ProbeWorkload } from './backend-probe';
import type { ConvForm } from './conv-forms';

// the records a backend choice produces are defined once, in core
export type { BackendInfo, BackendName, BackendPreference } from '../core/records/run-records';

export interface SelectOptions {
  /** what this browser stored of earlier probes (any JSON; a bad one just costs a new probe) */
  probeCache?: unknown;
  /**
   * probes run earlier in this page (the worker's session, e.g. for the start-up speed estimate):
   * reused like the cache, but the reason does not call them cached, since they ran just now
   */
  sessionProbes?: unknown;
  /** the probe's budget for all backends together, in ms */
  probeBudgetMs?: number;
  /** tests: treat GPU backends on a software renderer as hardware, so the probe runs */
  probeSoftware?: boolean;
  /** tests: a smaller probe than the default (fashion at batch 32) */
  probeWorkload?: ProbeWorkload;
  /** called with a probe that ran (not one read from the cache), for the caller to store */
  onProbe?: (record: ProbeRecord) => void;
}

export const PROBE_BUDGET_MS = 3000;

export async function selectBackend(requested: BackendPreference, order: BackendName[], options: SelectOptions = {}): Promise<BackendInfo> {
  if (requested === 'auto') return selectAuto(order, options);
  const candidates = [requested, ...order.filter((n) => n !== requested)];
  const fallbacks: BackendInfo['fallbacks'] = [];
  for (const name of candidates) {
    const problem = await initialise(name);
    if (problem) {
      fallbacks.push({ name, reason: problem });
      continue;
    }
    const reason =
      name === requested
        ? 'chosen in the settings'
        : `${requested} was chosen in the settings but could not start (${fallbacks[0]?.reason})`;
    return info(name, requested, fallbacks, reason);
  }
  throw new Error(`no tfjs backend could start: ${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}`);
}

/** `auto`: wasm unless a GPU backend on hardware beats it in the probe (or its cached result). */
async function selectAuto(order: BackendName[], options: SelectOptions): Promise<BackendInfo> {
  const gpuNames = order.filter(
    (n): n is 'webgpu' | 'webgl' => (n === 'webgpu' || n === 'webgl') && Boolean(tf.engine().registryFactory[n]),
  );
  const looks = await Promise.all(gpuNames.map((name) => (name === 'webgpu' ? lookWebGpu() : lookWebGl())));
  const sorted = sortCandidates(looks, options.probeSoftware);
  const fallbacks: BackendInfo['fallbacks'] = sorted.excluded.map((e) => ({ name: e.name, reason: e.reason }));
  const cpuSide = order.filter((n) => n === 'wasm' || n === 'cpu');
  if (sorted.hardware.length === 0 || !cpuSide.length)
    return firstOf(cpuSide.length ? cpuSide : order, 'auto', fallbacks, noProbeReason(sorted.excluded));

  const workload = options.probeWorkload ?? PROBE_WORKLOAD;
  const key = probeCacheKey(
    sorted.hardware,
    `${TOOL_VERSION}/${PROBE_REVISION}`,
    logicalCores() ?? 1,
    `${workload.space}@${workload.batch}`,
  );
  const session = readProbeCache(options.sessionProbes, key);
  const cached = session ? null : readProbeCache(options.probeCache, key);
  let results: ProbeResult[];
  if (session) results = session.results;
  else if (cached) results = cached.results;
  else {
    const names: BackendName[] = [...sorted.hardware.map((h) => h.name), cpuSide[0]];
    const budget = options.probeBudgetMs ?? PROBE_BUDGET_MS;
    results = [];
    for (const name of names) {
      const problem = await initialise(name);
      results.push(
        problem
          ? { name, msPerStep: null, warmupMs: 0, steps: 0, error: `it could not start: ${problem}` }
          : await probeCurrentBackend(name, defaultConvForm(name), { shareMs: budget / names.length, hardMs: budget }, workload),
      );
    }
    options.onProbe?.({ key, results, at: Date.now() });
  }
  const ranked = [...results].sort((a, b) => (a.msPerStep ?? Infinity) - (b.msPerStep ?? Infinity));
  for (const candidate of ranked) {
    if (candidate.msPerStep === null) break;
    const problem = await initialise(candidate.name);
    if (problem) {
      fallbacks.push({ name: candidate.name, reason: problem });
      continue;
    }
    // the others gave their GPU memory back; only the chosen backend keeps its pools
    for (const other of results) if (other.name !== candidate.name) releaseBackend(other.name);
    for (const other of results)
      if (other !== candidate && !fallbacks.some((f) => f.name === other.name))
        fallbacks.push({
          name: other.name,
          reason:
            other.msPerStep === null
              ? (other.error ?? 'no time in the probe')
              : `slower in the probe (${(other.msPerStep / 1000).toFixed(2)} s a step)`,
        });
    return info(candidate.name, 'auto', fallbacks, probeReason(candidate, results, Boolean(cached)));
  }
  for (const r of results)
    if (!fallbacks.some((f) => f.name === r.name)) fallbacks.push({ name: r.name, reason: r.error ?? 'no time in the probe' });
  return firstOf(cpuSide, 'auto', fallbacks, 'no backend finished the probe');
}

async function firstOf(
  names: BackendName[],
  requested: BackendPreference,
  fallbacks: BackendInfo['fallbacks'],
  reason: string,
): Promise<BackendInfo> {
  const tried = [...fallbacks];
  for (const name of names) {
    const problem = await initialise(name);
    if (!problem)
      return info(
        name,
        requested,
        tried,
        tried.length > fallbacks.length
          ? `${reason}; ${tried
              .slice(fallbacks.length)
              .map((f) => `${f.name} could not start (${f.reason})`)
              .join('; ')}`
          : reason,
      );
    tried.push({ name, reason: problem });
  }
  throw new Error(`no tfjs backend could start: ${tried.map((f) => `${f.name}: ${f.reason}`).join('; ')}`);
}

function info(name: BackendName, requested: BackendPreference, fallbacks: BackendInfo['fallbacks'], reason: string): BackendInfo {
  const threads = name === 'wasm' ? wasmThreads() : undefined;
  return { name, requested, adapter: describeAdapter(name, threads), fallbacks, reason, ...(threads ? { threads } : {}) };
}

/**
 * The most bytes of GPU memory tfjs keeps on webgl and webgpu, in use and pooled for reuse; past
 * it a released texture or buffer is freed instead of pooled. tfjs keeps every released texture
 * (webgl, keyed by shape) or buffer (webgpu, keyed by byte size) for ever, and a supernet trains
 * new subnets, so new shapes, every step: in a default run (fashion, batch 128) on webgl tfjs
 * held 2.38 GB after step 1, 2.86 GB after step 2 and 3.32 GB after step 3 while 3.5 MB were in
 * use; on webgpu at batch 16 it held 260 MB after step 1 and 415 MB after step 8 (2.4 MB in use).
 */
export const GPU_POOL_BYTES = 1024 * 1024 * 1024;

interface WebGpuBufferManager {
  numBytesAllocated: number;
  releaseBuffer(buffer: GPUBuffer, reuse?: boolean): void;
  nasStudioPoolCap?: number;
}

/**
 * webgpu has no flag like webgl's WEBGL_DELETE_TEXTURE_THRESHOLD, so its buffer manager's
 * release is wrapped to the same rule: while tfjs holds more than `maxBytes`, a released buffer
 * is destroyed (WebGPU lets a buffer that submitted work still uses be destroyed; tfjs destroys
 * its staging buffers the same way). Returns false when tfjs's internals are not as in 4.22.
 */
export function capWebGpuBufferPool(backend: unknown, maxBytes: number): boolean {
  const manager = (backend as { bufferManager?: WebGpuBufferManager } | null)?.bufferManager;
  if (!manager || typeof manager.releaseBuffer !== 'function' || typeof manager.numBytesAllocated !== 'number') return false;
  if (manager.nasStudioPoolCap === undefined) {
    const release = manager.releaseBuffer.bind(manager);
    manager.releaseBuffer = (buffer, reuse = true) => release(buffer, reuse && manager.numBytesAllocated <= manager.nasStudioPoolCap!);
  }
  manager.nasStudioPoolCap = maxBytes;
  return true;
}

/** Makes `name` tfjs's backend; the problem in words when it cannot start, else null. */
async function initialise(name: BackendName): Promise<string | null> {
  if (!tf.engine().registryFactory[name]) return 'not available in this runtime';
  if (name === 'webgl') {
    tf.env().set('WEBGL_DELETE_TEXTURE_THRESHOLD', GPU_POOL_BYTES);
    // shapes as uniforms, so a program serves every layer shape instead of being compiled again
    // for each: a supernet brings new shapes every step. Tiny space, batch 16, 40 steps on WebGL
    // (SwiftShader): 1,146 programs compiled without, 450 with; 35-36 s against 24 s; the same
    // losses (docs/results/webgl-shape-uniforms-2026-12-03.txt)
    tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  }
  try {
    const ok = name === 'wasm' ? await setWasmBackend() : await tf.setBackend(name);
    if (!ok)
      return name === 'webgpu' ? 'no WebGPU adapter (navigator.gpu missing or requestAdapter() returned null)' : 'failed to initialise';
    await tf.ready();
    if (name === 'webgpu' && !capWebGpuBufferPool(tf.backend(), GPU_POOL_BYTES))
      console.warn('nas-studio: tfjs-backend-webgpu internals changed; its buffer pool is not bounded');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

/** Frees a backend the probe used and lost (its GPU pools), keeping it available for later. */
function releaseBackend(name: BackendName): void {
  if (name === 'wasm' || name === 'cpu' || !tf.engine().registry[name] || tf.getBackend() === name) return;
  const factory = tf.findBackendFactory(name);
  if (!factory) return;
  try {
    tf.removeBackend(name);
  } finally {
    if (!tf.engine().registryFactory[name]) tf.registerBackend(name, factory, name === 'webgpu' ? 3 : 2);
  }
}

/**
 * Part of the probe cache's key, raised when the engine's speed on a backend changes enough to
 * make a cached answer stale, so a browser probes again: 2 since wasm runs a thread per core and
 * BN on WebGL is one kernel.
 */
const PROBE_REVISION = 'probe-2';

/** navigator.hardwareConcurrency, or null where there is no navigator (Node 20). */
function logicalCores(): number | null {
  const cores = typeof navigator === 'undefined' ? 0 : Number(navigator.hardwareConcurrency);
  return Number.isInteger(cores) && cores > 0 ? cores : null;
}

/**
 * Starts wasm with navigator.hardwareConcurrency threads (at most 8, tfjs's own ceiling).
 * tfjs-backend-wasm 4.22 sizes its pool as min(setThreadsCount, 8, hardwareConcurrency / 2)
 * inside its C++ (backend.cc reads emscripten_num_logical_cores() / 2 as the module starts),
 * so setThreadsCount alone gives half the cores: 1 thread on a 2-core machine. While the module
 * starts, navigator.hardwareConcurrency reads doubled, so the cap becomes the core count; the
 * property is restored right after. Should tfjs change, the pool is whatever it then makes, and
 * getThreadsCount() (the badge) reports it. Measured in the studio's default run (headless
 * Chromium, this 2-core machine, three interleaved pairs, `npm run measure:default-run`,
 * docs/results/wasm-threads-2026-12-03.txt): 2 threads 329.7, 320.8 and 322.6 images/s at 90 s
 * against 317.0, 308.2 and 305.3 with tfjs's 1, about 4% faster. (With the engine before the
 * fused kernels it was the other way round: 83-115 against 121-185.) Machines with more cores
 * are unmeasured: there, past the physical cores, extra threads may gain nothing.
 */
async function setWasmBackend(): Promise<boolean> {
  const cores = logicalCores();
  if (tf.engine().registry.wasm || !cores || typeof self === 'undefined') return tf.setBackend('wasm');
  const env = tf.env();
  const threaded = (await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) && (await env.getAsync('WASM_HAS_SIMD_SUPPORT'));
  if (!threaded) return tf.setBackend('wasm');
  setThreadsCount(Math.min(cores, 8));
  const nav = navigator as Navigator & { hardwareConcurrency: number };
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * cores });
  } catch {
    // a navigator that will not take the property: wasm starts with tfjs's own count
    return tf.setBackend('wasm');
  }
  try {
    return await tf.setBackend('wasm');
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** The threads tfjs-backend-wasm runs, as its getThreadsCount() reports (the badge shows them). */
function wasmThreads(): number | undefined {
  try {
    const threads = getThreadsCount();
    return threads > 0 ? threads : undefined;
  } catch {
    return undefined;
  }
}

async function lookWebGpu(): Promise<GpuLook> {
  const gpu = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu)
    return {
      name: 'webgpu',
      available: false,
      description: '',
      problem: 'navigator.gpu is missing (no WebGPU in this browser, or it is switched off)',
    };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter)
      return { name: 'webgpu', available: false, description: '', problem: 'no WebGPU adapter (requestAdapter() returned null)' };
    const adapterInfo = adapter.info as GPUAdapterInfo | undefined;
    const description = adapterInfo ? webGpuDescription(adapterInfo) : '';
    const fallbackAdapter = Boolean(
      adapterInfo?.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    );
    return { name: 'webgpu', available: true, description, fallbackAdapter };
  } catch (error) {
    return {
      name: 'webgpu',
      available: false,
      description: '',
      problem: `requestAdapter() failed: ${(error as Error).message || String(error)}`,
    };
  }
}

const webGpuDescription = (info: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', unknown>>): string =>
  (['vendor', 'architecture', 'device', 'description'] as const)
    .map((k) => info[k])
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .join(' / ');

/** The WebGL renderer, from a throwaway context (so a software one is known before tfjs starts on it). */
function lookWebGl(): GpuLook {
  if (typeof OffscreenCanvas === 'undefined')
    return { name: 'webgl', available: false, description: '', problem: 'no OffscreenCanvas, so no WebGL, in this runtime' };
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGL2RenderingContext | WebGLRenderingContext | null;
    if (!gl) return { name: 'webgl', available: false, description: '', problem: 'no WebGL context could be created' };
    const description = rendererOf(gl);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { name: 'webgl', available: true, description };
  } catch (error) {
    return { name: 'webgl', available: false, description: '', problem: `WebGL failed: ${(error as Error).message || String(error)}` };
  }
}

function rendererOf(gl: WebGL2RenderingContext | WebGLRenderingContext): string {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String((ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) ?? '');
}

function describeAdapter(name: BackendName, threads?: number): string {
  const backend = tf.backend() as unknown as Record<string, unknown>;
  if (name === 'webgpu') {
    const description = webGpuDescription((backend.adapterInfo ?? {}) as Record<string, unknown>);
    return description || 'unknown adapter';
  }
  if (name === 'webgl') {
    try {
      const gl = (backend.gpgpu as { gl?: WebGL2RenderingContext })?.gl;
      return gl ? rendererOf(gl) || 'WebGL' : 'WebGL';
    } catch {
      return 'WebGL';
    }
  }
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
    const multithread = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    const count = threads ?? 1;
    return `WebAssembly (${simd}, ${count} thread${count === 1 ? '' : 's'}${multithread ? '' : ', no thread support'})`;
  }
  return 'JavaScript';
}

/**
 * Default conv form per backend, from `npm run bench`: wasm cannot train tfjs's conv ops (no
 * Conv2DBackpropFilter), and on both wasm and cpu 'portable' was the fastest form (on cpu
 * about 2x faster than 'native', whose depthwise backprop kernels are slow). On webgpu and
 * webgl the native ops were faster than the sliced form when these machines were first measured
 * (docs/design.md, Decisions and their measurements);
 * 'portable' is unmeasured on real GPUs, so they keep 'native'.
 */
export function defaultConvForm(backend: BackendName): ConvForm {
  return backend === 'wasm' || backend === 'cpu' ? 'portable' : 'native';
}

export function resolveConvForm(choice: 'auto' | ConvForm, backend: BackendName): ConvForm {
  if (choice === 'native' && backend === 'wasm') {
    throw new Error(
      "the 'native' conv form cannot train on the wasm backend (tfjs-backend-wasm has no Conv2DBackpropFilter kernel); use 'portable' or 'matmul'",
    );
  }
  return choice === 'auto' ? defaultConvForm(backend) : choice;
}
