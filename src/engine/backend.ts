/**
 * Picks a tfjs backend: the requested one, or the first that initialises from an order
 * (webgpu, webgl, wasm, cpu in a browser). Reports what it got and why others failed.
 */
import * as tf from '@tensorflow/tfjs';
import type { ConvForm } from './conv-forms';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export interface BackendInfo {
  name: BackendName;
  requested: BackendPreference;
  /** GPU adapter or device description where the backend has one */
  adapter: string;
  /** backends tried before this one, and why each was not used */
  fallbacks: { name: BackendName; reason: string }[];
}

export async function selectBackend(requested: BackendPreference, order: BackendName[]): Promise<BackendInfo> {
  const candidates = requested === 'auto' ? order : [requested, ...order.filter((n) => n !== requested)];
  const fallbacks: BackendInfo['fallbacks'] = [];
  for (const name of candidates) {
    if (!tf.engine().registryFactory[name]) {
      fallbacks.push({ name, reason: 'not available in this runtime' });
      continue;
    }
    try {
      const ok = await tf.setBackend(name);
      if (!ok) {
        fallbacks.push({ name, reason: name === 'webgpu' ? 'no WebGPU adapter (navigator.gpu missing or requestAdapter() returned null)' : 'failed to initialise' });
        continue;
      }
      await tf.ready();
      return { name, requested, adapter: describeAdapter(name), fallbacks };
    } catch (error) {
      fallbacks.push({ name, reason: (error as Error).message || String(error) });
    }
  }
  throw new Error(`no tfjs backend could start: ${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}`);
}

function describeAdapter(name: BackendName): string {
  const backend = tf.backend() as unknown as Record<string, unknown>;
  if (name === 'webgpu') {
    const info = (backend.adapterInfo ?? {}) as Record<string, unknown>;
    const parts = ['vendor', 'architecture', 'device', 'description'].map((k) => info[k]).filter((v) => typeof v === 'string' && v);
    return parts.length ? parts.join(' / ') : 'unknown adapter';
  }
  if (name === 'webgl') {
    try {
      const gl = (backend.gpgpu as { gl?: WebGL2RenderingContext })?.gl;
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      const renderer = gl && ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER);
      return String(renderer ?? 'WebGL');
    } catch {
      return 'WebGL';
    }
  }
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : 'no threads';
    return `WebAssembly (${simd}, ${threads})`;
  }
  return 'JavaScript';
}

/**
 * Default conv form per backend, from `npm run bench`: wasm cannot train tfjs's conv ops (no
 * Conv2DBackpropFilter), and on both wasm and cpu 'portable' was the fastest form (on cpu
 * about 2x faster than 'native', whose depthwise backprop kernels are slow). On webgpu and
 * webgl the native ops were faster than the sliced form in DESIGN.md's measurements;
 * 'portable' is unmeasured on real GPUs, so they keep 'native'.
 */
export function defaultConvForm(backend: BackendName): ConvForm {
  return backend === 'wasm' || backend === 'cpu' ? 'portable' : 'native';
}

export function resolveConvForm(choice: 'auto' | ConvForm, backend: BackendName): ConvForm {
  if (choice === 'native' && backend === 'wasm') {
    throw new Error("the 'native' conv form cannot train on the wasm backend (tfjs-backend-wasm has no Conv2DBackpropFilter kernel); use 'portable' or 'matmul'");
  }
  return choice === 'auto' ? defaultConvForm(backend) : choice;
}
