/**
 * `npm run bench`: where a sandwich step's time goes, per Node backend and conv form, at
 * batch 128 on the fashion space. One row per measurement, printed and (with `--json FILE`)
 * written:
 * - `sandwich`: ms/step, images/s, kernels per step (tf.profile, plus launches inside our
 *   fused kernels), peak bytes, each phase's share (forward, backward, optimizer, sampling)
 *   and the ten costliest kernel types;
 * - `--peer`: the PyTorch peer (`../shared/bench/peer_torch.py`) interleaved with ours
 *   (ours, peer, ours, peer) at the same thread count, and the ratio of images/s;
 * - BN recalibration + evaluation of the largest and smallest subnets, a one-layer
 *   depthwise micro-benchmark per form, and attentive sampling's cost against Uniform.
 * Compare figures within one run: this machine is shared and noisy.
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { fashionNormalisation } from '../core/data/augment';
import { presetSpace } from '../core/space/presets';
import { Rng } from '../core/training/rng';
import { largestSubnet, smallestSubnet, type Subnet } from '../core/space/subnet';
import { sampleUniform } from '../core/sampling/uniform-sampler';
import { chunkIndices } from '../engine/batches';
import { attentiveSampler } from '../core/sampling/attentive-sampler';
import { ConditionalSampler } from '../core/sampling/conditional-sampler';
import { buildFlopsPrior } from '../core/sampling/flops-prior';
import { countMacs } from '../core/space/macs';
import { fitRidgePredictor } from '../core/predictor/predictor';
import { PredictorPool } from '../core/predictor/predictor-pool';
import { uniformSampler, type SubnetSampler } from '../core/sampling/sampler';
import { minibatchLossScorer } from '../engine/loss-scorer';
import type { BackendName, ConvForm } from '../core/records/run-records';
import { convForms, convOps } from '../engine/conv-forms';
import { evaluateSubnet } from '../engine/evaluate';
import { measureGpuSteadiness, measureSandwich, type SandwichMeasurement } from '../engine/step-profile';
import { Supernet } from '../engine/supernet';
import { sandwich, Trainer } from '../engine/trainer';
import { numberArg, parseArgs, rejectUnknown } from './args';
import { initNodeBackend, loadFashionMnistFromDisk } from './node-runtime';
import { peerUnavailable, runPeer, type PeerResult } from './peer';
import { bnKernelForms, withBnKernelForm, type BnKernelForm } from './bn-kernel-forms';

const usage = `usage: npm run bench -- [options]
  --backends wasm,cpu      Node backends to measure (wasm, cpu, webgpu through Dawn)
  --forms native,portable  conv forms (default: both)
  --space fashion          search space preset
  --batch 128              images per step
  --steps 3                timed sandwich steps after one warm-up (--cpu-steps 1 on cpu)
  --peer                   the PyTorch peer (../shared/bench/peer_torch.py, /usr/bin/python3 with torch),
                           interleaved with ours at the same threads; --peer-rounds 2, --peer-steps 10
  --gpu-steps 100          webgpu: steps of the pipelines and GPU-memory measurement (0 skips it)
  --calibration-batches 32, --eval-images 5000   the BN recalibration + evaluation row
  --no-attentive           skip attentive sampling's cost against Uniform
  --no-extras              skip the evaluation and depthwise rows
  --bn-form host           cpu/wasm: BN + activation as the host kernel (host), as WebGL runs it
                           (composed), or as tfjs ops on the tape (ops, WebGL's form before)
  --json FILE              write every row as JSON`;
const args = parseArgs(process.argv.slice(2));
if (args.has('help')) {
  console.log(usage);
  process.exit(0);
}
rejectUnknown(args, [
  'help',
  'gpu-steps',
  'no-attentive',
  'no-extras',
  'batch',
  'steps',
  'cpu-steps',
  'backends',
  'forms',
  'space',
  'calibration-batches',
  'eval-images',
  'json',
  'peer',
  'peer-rounds',
  'peer-steps',
  'bn-form',
]);
const batchSize = numberArg(args, 'batch') ?? 128;
const timedSteps = numberArg(args, 'steps') ?? 3;
const cpuSteps = numberArg(args, 'cpu-steps') ?? 1;
const backends = (args.get('backends') ?? 'wasm,cpu').split(',') as BackendName[];
const forms = (args.get('forms') ?? convForms.join(',')).split(',') as ConvForm[];
const space = presetSpace(args.get('space') ?? 'fashion');
const calibrationBatches = numberArg(args, 'calibration-batches') ?? 32;
const evalImages = numberArg(args, 'eval-images') ?? 5000;
const peerRounds = numberArg(args, 'peer-rounds') ?? 2;
const gpuSteps = numberArg(args, 'gpu-steps') ?? 100;
const peerSteps = numberArg(args, 'peer-steps') ?? 10;
const withPeer = args.has('peer');
const bnForm = (args.get('bn-form') ?? 'host') as BnKernelForm;
if (!bnKernelForms.includes(bnForm)) throw new Error(`--bn-form: ${bnForm} is not one of ${bnKernelForms.join(', ')}`);
if (bnForm !== 'host' && backends.some((b) => b !== 'cpu' && b !== 'wasm')) throw new Error('--bn-form: cpu and wasm only');
if (withPeer) {
  const why = peerUnavailable();
  if (why) throw new Error(`--peer: ${why}`);
}

interface Row {
  measure: string;
  backend: string;
  form: string;
  batch?: number;
  /** a readable summary, as printed */
  value: string;
  ms?: number;
  imagesPerSecond?: number;
  [field: string]: unknown;
}
const rows: Row[] = [];
const report = (row: Row) => {
  rows.push(row);
  console.log(`${row.backend.padEnd(6)} ${row.form.padEnd(9)} ${String(row.label ?? row.measure).padEnd(44)} ${row.value}`);
};
let lastPeers: PeerResult[] = [];
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}%`;

/** Threads our backend computes with: tfjs-backend-wasm runs single-threaded in Node, cpu is plain JS. */
const threadsOf = (backend: string) =>
  backend === 'wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? navigator.hardwareConcurrency : 1;

function printSandwich(m: SandwichMeasurement, backend: string) {
  const p = m.phases;
  if (backend === 'webgpu' || backend === 'webgl')
    console.log('       (GPU: forward and backward time the dispatch; the optimizer phase waits for the queue to finish)');
  console.log(
    `       phases: forward ${p.forwardMs.toFixed(0)} ms (${pct(p.forwardMs, m.msPerStep)}), backward ${p.backwardMs.toFixed(0)} ms (${pct(p.backwardMs, m.msPerStep)}), ` +
      `optimizer ${p.optimizerMs.toFixed(0)} ms (${pct(p.optimizerMs, m.msPerStep)}), sampling ${p.samplingMs.toFixed(1)} ms (${pct(p.samplingMs, m.msPerStep)})`,
  );
  console.log(
    `       costliest kernels (one profiled step): ${m.topKernels.map((k) => `${k.name} ${k.count}x ${k.ms.toFixed(0)} ms`).join(', ')}`,
  );
}

const data = await loadFashionMnistFromDisk();
const rng = new Rng(2024);
// the same sampled middle subnets for every backend and form
const middles: Subnet[][] = Array.from({ length: timedSteps + 1 }, () => [sampleUniform(space, rng), sampleUniform(space, rng)]);
const sandwichAt = (i: number) => sandwich(largestSubnet(space), middles[i % middles.length], smallestSubnet(space));
const batchIndices = Array.from({ length: batchSize }, (_, i) => i);
const pixels = new Float32Array(batchSize * 28 * 28);
for (let i = 0; i < pixels.length; i++)
  pixels[i] = (data.train.images[i] / 255 - fashionNormalisation.mean[0]) / fashionNormalisation.std[0];
const labels = Int32Array.from(batchIndices, (i) => data.train.labels[i]);

console.log(
  `space ${space.name}, batch ${batchSize}; sandwich = largest + 2 uniform + smallest; ${timedSteps} timed steps after 1 warm-up (cpu: ${cpuSteps})`,
);
for (const backendName of backends) {
  const backend = await initNodeBackend(backendName);
  const steps = backendName === 'cpu' ? cpuSteps : timedSteps;
  for (const form of forms) {
    // the matmul form's k*k shifted copies overflow the wasm backend's 4 GB heap at batch 128
    // (measured: "memory access out of bounds", after which the wasm module is unusable), so
    // it is measured at batch 32 there; compare it by images/s
    const stepBatch = backendName === 'wasm' && form === 'matmul' ? Math.min(32, batchSize) : batchSize;
    const net = Supernet.create(space, 1);
    const trainer = new Trainer(net, {
      momentum: 0.9,
      weightDecay: 1e-5,
      gradClip: 1,
      labelSmoothing: 0.1,
      convForm: form,
      dropout: space.dropout,
    });
    const batch = {
      images: tf.tensor4d(pixels.subarray(0, stepBatch * 784), [stepBatch, 28, 28, 1]),
      labels: tf.tensor1d(labels.subarray(0, stepBatch), 'int32'),
    };
    try {
      // --gpu-steps 0 skips the steadiness measurement (a kernel count alone on a slow adapter)
      if (backend.name === 'webgpu' && gpuSteps > 0) {
        // first, on a fresh net: warm-up = one pass over the fixed set of sandwiches, then the same set again and again
        const readAt = [10, gpuSteps].filter((s, i, all) => s <= gpuSteps && all.indexOf(s) === i);
        const g = await measureGpuSteadiness(trainer, batch, sandwichAt, middles.length, gpuSteps, readAt);
        const bytes = readAt
          .map(
            (s) =>
              `${(g.gpuBytesAfterStep[s] / 2 ** 20).toFixed(1)} MiB in use (${(g.gpuBytesAllocatedAfterStep[s] / 2 ** 20).toFixed(1)} allocated) after step ${s}`,
          )
          .join(', ');
        report({
          measure: 'gpu',
          backend: backend.name,
          form,
          batch: stepBatch,
          label: `pipelines and GPU memory over ${gpuSteps} steps`,
          value: `${g.pipelinesDuringWarmup} pipelines compiled in warm-up (${middles.length} sandwiches), ${g.pipelinesAfterWarmup} after; ${bytes}`,
          ...g,
        });
      }
      const plan = { warmupSteps: 1, timedSteps: steps, subnetsAt: async (i: number) => ({ subnets: sandwichAt(i), samplingMs: 0 }) };
      const measure = () => withBnKernelForm(backendName as 'cpu' | 'wasm', bnForm, () => measureSandwich(trainer, batch, plan));
      const ours: SandwichMeasurement[] = [await measure()];
      const peers: PeerResult[] = [];
      // interleaved: ours, peer, ours, peer, ... so drift in machine load hits both alike
      if (withPeer && backendName === 'wasm' && form === 'portable') {
        for (let r = 0; r < peerRounds; r++) {
          peers.push(runPeer({ threads: threadsOf(backend.name), batch: stepBatch, steps: peerSteps }));
          if (r + 1 < peerRounds) ours.push(await measure());
        }
      }
      if (peers.length) lastPeers = peers;
      const m = ours[ours.length - 1];
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const imagesPerSecond = mean(ours.map((o) => o.imagesPerSecond));
      const msPerStep = mean(ours.map((o) => o.msPerStep));
      const peerImagesPerSecond = peers.length ? mean(peers.map((p) => p.imagesPerSecond)) : undefined;
      const ratioToPeer = peerImagesPerSecond ? imagesPerSecond / peerImagesPerSecond : undefined;
      const peerText = peerImagesPerSecond
        ? `; peer ${peerImagesPerSecond.toFixed(1)} images/s at ${peers[0].threads} thread(s), ratio ${ratioToPeer!.toFixed(2)}`
        : '';
      report({
        measure: 'sandwich',
        backend: backend.name,
        adapter: backend.adapter,
        form,
        bnForm,
        batch: stepBatch,
        threads: threadsOf(backend.name),
        value: `${bnForm === 'host' ? '' : `BN as ${bnForm}: `}${msPerStep.toFixed(0)} ms/step, ${imagesPerSecond.toFixed(1)} images/s, ${m.kernelsPerStep} kernels/step${m.gpuDispatchesPerStep !== null ? ` (${m.gpuDispatchesPerStep} GPU dispatches)` : ''}, peak ${(m.peakBytes / 2 ** 20).toFixed(0)} MiB${peerText}`,
        ms: msPerStep,
        msPerStep,
        imagesPerSecond,
        kernelsPerStep: m.kernelsPerStep,
        innerKernelsPerStep: m.innerKernelsPerStep,
        gpuDispatchesPerStep: m.gpuDispatchesPerStep,
        peakBytes: m.peakBytes,
        phases: m.phases,
        topKernels: m.topKernels,
        rounds: ours.map((o) => ({ msPerStep: o.msPerStep, imagesPerSecond: o.imagesPerSecond })),
        ...(peers.length
          ? {
              peerImagesPerSecond,
              ratioToPeer,
              peerThreads: peers[0].threads,
              peerRounds: peers.map((p) => p.imagesPerSecond),
              peerTorch: peers[0].torch,
            }
          : {}),
      });
      printSandwich(m, backend.name);
    } catch (error) {
      report({
        measure: 'sandwich',
        backend: backend.name,
        form,
        batch: stepBatch,
        value: `unsupported: ${(error as Error).message.split('\n')[0]}`,
      });
    }
    tf.dispose([batch.images, batch.labels]);
    trainer.dispose();
    net.dispose();
  }

  if (args.has('no-extras')) continue;
  // BN recalibration + evaluation of one subnet (forward only: every form runs here)
  const evalForm: ConvForm = backendName === 'wasm' ? 'portable' : 'native';
  const net = Supernet.create(space, 1);
  const calib = chunkIndices(
    Uint32Array.from({ length: calibrationBatches * batchSize }, (_, i) => i),
    batchSize,
    true,
  );
  const evalIdx = Uint32Array.from({ length: evalImages }, (_, i) => 50000 + (i % 10000));
  const evalData = { set: data.train, norm: fashionNormalisation };
  for (const [label, subnet] of [
    ['largest', largestSubnet(space)],
    ['smallest', smallestSubnet(space)],
  ] as const) {
    const images = backendName === 'cpu' ? Math.min(evalImages, 1000) : evalImages;
    const batches = backendName === 'cpu' ? calib.slice(0, Math.min(4, calib.length)) : calib;
    const result = await evaluateSubnet(net, subnet, { data: evalData, batches }, evalData, evalIdx.slice(0, images), 500, evalForm);
    // the peer's time for the same forward work: its eval forward of the largest net at batch 512, scaled to these images
    const peerMs =
      label === 'largest' && lastPeers.length
        ? ((batches.length * batchSize + images) / 512) *
          (lastPeers.reduce((a, p) => a + Number(p.raw.eval_largest_b512_ms), 0) / lastPeers.length)
        : undefined;
    const peerText = peerMs
      ? `; peer forward of the same images ${peerMs.toFixed(0)} ms, ${(result.ms / peerMs).toFixed(2)}x the peer's time`
      : '';
    report({
      backend: backend.name,
      form: evalForm,
      measure: 'eval',
      label: `BN recal (${batches.length}x${batchSize}) + eval ${images}, ${label}`,
      value: `${result.ms.toFixed(0)} ms${peerText}`,
      ms: result.ms,
      subnet: label,
      ...(peerMs ? { peerMs, timeRatioToPeer: result.ms / peerMs } : {}),
    });
  }
  net.dispose();

  // one depthwise layer: 5x5 stride 1 on 14x14x96, batch 32 (the matmul form's limit on wasm);
  // forward + input and filter gradients
  const x = tf.randomNormal([32, 14, 14, 96]) as tf.Tensor4D;
  const w = tf.randomNormal([5, 5, 96, 1]) as tf.Tensor4D;
  for (const form of forms) {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(convOps(form).depthwise(a as tf.Tensor4D, b as tf.Tensor4D, 1));
    const once = async () => {
      const grads = tf.grads(f)([x, w]);
      await Promise.all(grads.map((g) => g.data()));
      tf.dispose(grads);
    };
    try {
      await once();
      const reps = backendName === 'cpu' ? 1 : 3;
      const start = performance.now();
      for (let i = 0; i < reps; i++) await once();
      const ms = (performance.now() - start) / reps;
      report({
        backend: backend.name,
        form,
        measure: 'depthwise',
        label: 'depthwise 5x5 32x14x14x96 fwd+grads',
        value: `${ms.toFixed(1)} ms`,
        ms,
      });
    } catch (error) {
      report({
        backend: backend.name,
        form,
        measure: 'depthwise',
        label: 'depthwise 5x5 32x14x14x96 fwd+grads',
        value: `unsupported: ${(error as Error).message.split('\n')[0]}`,
      });
    }
  }
  tf.dispose([x, w]);
}

// attentive sampling (wasm, its default form): prior build, pool re-score, and step time of
// BestUp-3 (loss) and BestUp-1M (acc) against Uniform, measured in this same run
if (!args.has('no-attentive')) {
  const backend = await initNodeBackend('wasm');
  const priorStart = performance.now();
  const prior = buildFlopsPrior(space, { samples: 1_000_000, seed: 1 });
  report({
    backend: 'none',
    form: '-',
    measure: 'prior',
    label: `FLOPs prior, 10^6 samples, ${prior.counts.length} bins`,
    value: `${(performance.now() - priorStart).toFixed(0)} ms (buildMs ${prior.buildMs.toFixed(0)})`,
    ms: prior.buildMs,
  });
  const pool = new PredictorPool(space, prior);
  const exampleRng = new Rng(9);
  const examples = Array.from({ length: 200 }, () => {
    const subnet = sampleUniform(space, exampleRng);
    return { subnet, accuracy: 0.5 + countMacs(space, subnet) / 1e8 + 0.01 * exampleRng.normal() };
  });
  const predictor = fitRidgePredictor(space, examples);
  const refresh = pool.refresh(predictor);
  report({
    backend: 'none',
    form: '-',
    measure: 'predictor',
    label: `predictor pool re-score (${refresh.scored} subnets)`,
    value: `${refresh.ms.toFixed(0)} ms`,
    ms: refresh.ms,
  });
  const conditional = new ConditionalSampler(space, prior);
  const samplers: [string, SubnetSampler][] = [
    ['Uniform', uniformSampler(space)],
    ['BestUp-3 (loss)', attentiveSampler(space, prior, { mode: 'best', k: 3, estimator: 'loss', priorMode: 'empirical' }, { conditional })],
    [
      'BestUp-1M (acc)',
      attentiveSampler(space, prior, { mode: 'best', k: 1_000_000, estimator: 'predictor', priorMode: 'empirical' }, { conditional, pool }),
    ],
  ];
  const net = Supernet.create(space, 1);
  const trainer = new Trainer(net, {
    momentum: 0.9,
    weightDecay: 1e-5,
    gradClip: 1,
    labelSmoothing: 0.1,
    convForm: 'portable',
    dropout: space.dropout,
  });
  const batch = { images: tf.tensor4d(pixels, [batchSize, 28, 28, 1]), labels: tf.tensor1d(labels, 'int32') };
  const scoreByLoss = minibatchLossScorer(net, batch, 'portable', 0.1);
  // interleave the samplers step by step so drift in machine load hits all of them alike
  const zero = () => ({ forwardMs: 0, backwardMs: 0, optimizerMs: 0, samplingMs: 0 });
  const phases = new Map(samplers.map(([name]) => [name, zero()]));
  const rngs = new Map(samplers.map(([name]) => [name, new Rng(5)]));
  for (let i = 0; i <= timedSteps; i++) {
    for (const [name, sampler] of samplers) {
      const times = i > 0 ? phases.get(name)! : zero();
      const start = performance.now();
      const decision = await sampler.sample(2, { rng: rngs.get(name)!, step: i, scoreByLoss });
      times.samplingMs += performance.now() - start;
      await trainer.step(batch, sandwich(largestSubnet(space), decision.subnets, smallestSubnet(space)), 0.01, i, times);
    }
  }
  const total = (p: ReturnType<typeof zero>) => (p.forwardMs + p.backwardMs + p.optimizerMs + p.samplingMs) / timedSteps;
  const uniformMs = total(phases.get('Uniform')!);
  for (const [name] of samplers) {
    const p = phases.get(name)!;
    const ms = total(p);
    const perStep = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v / timedSteps]));
    report({
      backend: backend.name,
      form: 'portable',
      measure: 'sampler',
      label: `${name} sandwich step incl. sampling, batch ${batchSize}`,
      value: `${ms.toFixed(0)} ms/step, ${(ms / uniformMs).toFixed(2)}x Uniform; sampling and scoring ${perStep.samplingMs.toFixed(0)} ms (${pct(perStep.samplingMs, ms)})`,
      ms,
      sampler: name,
      phases: perStep,
    });
  }
  tf.dispose([batch.images, batch.labels]);
  trainer.dispose();
  net.dispose();
}

const json = args.get('json');
if (json) {
  const machine = { cpu: cpus()[0]?.model ?? '?', cores: cpus().length, node: process.version, tfjs: tf.version.tfjs };
  await writeFile(
    json,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
        machine,
        space: space.name,
        batchSize,
        rows,
      },
      null,
      1,
    ),
  );
}
