/** The bound on tfjs's webgpu buffer pool: past it a released buffer is destroyed, not pooled (tfjs 4.22's BufferManager, faked). */
import { expect, it } from 'vitest';
import { capWebGpuBufferPool } from '../../src/engine/backend';

function fakeManager() {
  const released: { size: number; reuse: boolean }[] = [];
  const manager = {
    numBytesAllocated: 0,
    releaseBuffer(buffer: { size: number }, reuse = true) {
      released.push({ size: buffer.size, reuse });
      if (!reuse) manager.numBytesAllocated -= buffer.size;
    },
  };
  return { manager, released };
}

it('pools released buffers under the bound and destroys them over it', () => {
  const { manager, released } = fakeManager();
  expect(capWebGpuBufferPool({ bufferManager: manager }, 1000)).toBe(true);
  manager.numBytesAllocated = 900;
  manager.releaseBuffer({ size: 100 } as never);
  manager.numBytesAllocated = 1500;
  manager.releaseBuffer({ size: 300 } as never);
  manager.releaseBuffer({ size: 300 } as never);
  // a buffer tfjs itself releases without reuse stays destroyed
  manager.releaseBuffer({ size: 50 } as never, false);
  expect(released).toEqual([
    { size: 100, reuse: true },
    { size: 300, reuse: false },
    { size: 300, reuse: false },
    { size: 50, reuse: false },
  ]);
  expect(manager.numBytesAllocated).toBe(850);
});

it('a second call changes the bound without wrapping twice; other backends are left alone', () => {
  const { manager, released } = fakeManager();
  capWebGpuBufferPool({ bufferManager: manager }, 1000);
  capWebGpuBufferPool({ bufferManager: manager }, 10);
  manager.numBytesAllocated = 500;
  manager.releaseBuffer({ size: 100 } as never);
  expect(released).toEqual([{ size: 100, reuse: false }]);
  expect(capWebGpuBufferPool({}, 10)).toBe(false);
  expect(capWebGpuBufferPool(null, 10)).toBe(false);
});
