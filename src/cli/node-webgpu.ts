/**
 * tfjs's WebGPU backend in Node, on Dawn (the npm package `webgpu`): any Vulkan adapter the
 * Vulkan loader finds. On a machine without a GPU driver, Chromium's SwiftShader (a CPU
 * emulation, correct but slow) is used when it is installed; the adapter's description says
 * which one ran.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

const chromiumSwiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const icdDirs = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];

/** Vulkan driver manifests (ICDs) installed system-wide. */
export function systemVulkanIcds(): string[] {
  return icdDirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => `${dir}/${f}`)
      : [],
  );
}

const howToGetAnAdapter =
  "install the Vulkan loader and a driver (Debian: apt-get install libvulkan1, plus your GPU vendor's Vulkan driver; " +
  'without a GPU, apt-get install chromium brings SwiftShader at /usr/lib/chromium/vk_swiftshader_icd.json), ' +
  'or point VK_ICD_FILENAMES at a driver manifest';

let registered: Promise<void> | null = null;

/** Makes `webgpu` a tfjs backend in this process; throws with what to install when no adapter is found. */
export function registerNodeWebGpu(): Promise<void> {
  registered ??= (async () => {
    // Dawn probes for a display server and complains without one; a headless run needs none
    process.env.XDG_RUNTIME_DIR ??= tmpdir();
    let dawn: typeof import('webgpu');
    try {
      dawn = await import('webgpu');
    } catch (error) {
      throw new Error(`WebGPU in Node needs the npm package "webgpu" (Dawn), which did not load: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let gpu = dawn.create([]);
    let adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    // the drivers found gave none Dawn accepts (none installed, or only Mesa's lavapipe, which
    // Dawn rejects): try Chromium's SwiftShader; the adapter's description says it ran
    const named = process.env.VK_ICD_FILENAMES;
    if (!adapter && named !== chromiumSwiftShaderIcd && existsSync(chromiumSwiftShaderIcd)) {
      process.env.VK_ICD_FILENAMES = chromiumSwiftShaderIcd;
      // newer Vulkan loaders read VK_DRIVER_FILES first: it must not keep naming the driver that failed
      if (process.env.VK_DRIVER_FILES) process.env.VK_DRIVER_FILES = chromiumSwiftShaderIcd;
      gpu = dawn.create([]);
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    }
    if (!adapter) {
      const found = systemVulkanIcds();
      const icd = named ? ` (VK_ICD_FILENAMES=${named})` : '';
      const tried = found.length ? `; driver manifests found: ${found.join(', ')}` : '; no Vulkan driver manifest found';
      throw new Error(`no WebGPU adapter: Dawn found no usable Vulkan device${icd}${tried}; ${howToGetAnAdapter}`);
    }
    Object.assign(globalThis, dawn.globals);
    const g = globalThis as unknown as { navigator?: Record<string, unknown> };
    g.navigator ??= {};
    g.navigator.gpu = gpu;
    await import('@tensorflow/tfjs-backend-webgpu');
  })();
  return registered;
}
