import { describe, expect, it } from 'vitest';
import {
  durationText,
  FORWARD_SHARE,
  measuredMsPerImage,
  queueSeconds,
  RUN_OVERHEAD_S,
  runSeconds,
  runWork,
  SESSION_OVERHEAD_S,
  stepFactor,
} from '../../src/core/training/duration-estimate';
import { quickComparisonSettings } from '../../src/core/comparison/quick-comparison';
import { comparisonQueue, defaultSettings, runConfigFromSettings, type StudioSettings } from '../../src/core/training/studio-settings';

const settings = (change: Partial<StudioSettings> = {}): StudioSettings => ({ ...defaultSettings, ...change });

describe('duration estimate', () => {
  it('a Uniform step costs 1; BestUp-3 by loss adds six scoring passes; the predictor adds none', () => {
    expect(stepFactor(settings())).toBe(1);
    expect(stepFactor(settings({ sampler: 'bestup', k: 3 }))).toBeCloseTo(1 + 6 * FORWARD_SHARE);
    expect(stepFactor(settings({ sampler: 'worstup', estimator: 'predictor', k: 1_000_000 }))).toBe(1);
  });

  it('counts a full epoch of the 55,000-image training split and every evaluated image', () => {
    const work = runWork(settings({ ranges: 3, perRange: 4, rangeImages: 1000 }));
    expect(work.steps).toBe(429);
    expect(work.trainImages).toBe(429 * 128);
    // ranges: 12 subnets x (1000 + 4 calibration batches); pair on validation and on test, 8 calibration batches each
    expect(work.forwardImages).toBe(12 * (1000 + 512) + 2 * (5000 + 1024) + 2 * (10_000 + 1024));
  });

  it('stepsPerEpoch, trainSubset, evalEvery and evalImages change the counts as the engine does', () => {
    expect(runWork(settings({ stepsPerEpoch: 10 })).steps).toBe(10);
    expect(runWork(settings({ trainSubset: 1280, epochs: 2 })).steps).toBe(20);
    const every = runWork(settings({ stepsPerEpoch: 100, evalEvery: 25 }));
    const once = runWork(settings({ stepsPerEpoch: 100 }));
    expect(every.forwardImages - once.forwardImages).toBe(4 * 5 * 8 * (1000 + 512));
    expect(runWork(settings({ evalImages: 100 })).forwardImages).toBeLessThan(once.forwardImages);
  });

  it('a run is its images at the speed plus its fixed cost; a queue adds the session start once', () => {
    const s = settings({ stepsPerEpoch: 100 });
    const work = runWork(s);
    expect(runSeconds(s, 2)).toBeCloseTo(((work.trainImages + work.forwardImages * FORWARD_SHARE) * 2) / 1000 + RUN_OVERHEAD_S);
    expect(queueSeconds([s, s], 2)).toBeCloseTo(SESSION_OVERHEAD_S + 2 * runSeconds(s, 2));
  });

  it('a measured run gives back the speed the estimate assumed', () => {
    const s = settings({ sampler: 'bestup', stepsPerEpoch: 100 });
    const trainingSeconds = (runWork(s).trainImages * 1.5) / 1000;
    expect(measuredMsPerImage(s, trainingSeconds, 100)).toBeCloseTo(1.5);
    expect(measuredMsPerImage(s, trainingSeconds, 2)).toBeNull();
  });

  it('reads as seconds, minutes or hours', () => {
    expect(durationText(42)).toBe('about 40 s');
    expect(durationText(7 * 60 + 10)).toBe('about 7 min');
    expect(durationText(2 * 3600 + 5 * 60)).toBe('about 2 h 5 min');
  });
});

describe('quick comparison', () => {
  const quick = quickComparisonSettings(settings({ seed: 5, backend: 'wasm', sampler: 'bestup', space: 'tiny' }));

  it('is three runs (no noise floor) of the quick space for one epoch without augmentation, keeping seed and backend', () => {
    expect(comparisonQueue(quick).map((r) => r.sampler)).toEqual(['uniform', 'bestup', 'worstup']);
    expect(comparisonQueue(settings()).length).toBe(4);
    expect(quick).toMatchObject({
      space: 'quick',
      epochs: 2,
      stepsPerEpoch: 280,
      augment: false,
      learningRate: 0.6,
      seed: 5,
      backend: 'wasm',
      dataset: 'fashion-mnist',
    });
    const config = runConfigFromSettings(quick);
    expect(config.augment).toBe(false);
    expect(config.space.name).toBe('quick');
  });
});
