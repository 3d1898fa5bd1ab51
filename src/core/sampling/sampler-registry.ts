/**
 * Every sampler kind in one table: its name and label, the text the setup form and the CLI help
 * show, its options and their limits, the estimators it accepts, its colour key, whether the
 * comparison set trains it, and how it is built. The run config, the studio settings, the
 * form, the CLI, the labels of runs and exports and the comparison all read this table, so a
 * new kind is one row here (plus its builder in sampler-setup.ts when it is a new algorithm).
 *
 * `build` is data, not a function, so that this table imports no sampler and the UI can read it
 * without pulling the samplers in; sampler-setup.ts turns it into a sampler, with an exhaustive
 * switch over `build.algorithm`.
 */

export const samplerKinds = ['uniform', 'bestup', 'worstup'] as const;
export type SamplerKind = (typeof samplerKinds)[number];

export const estimatorKinds = ['loss', 'predictor'] as const;
export type Estimator = (typeof estimatorKinds)[number];

/** Most candidates one loss-scored pick may ask the engine to evaluate (a forward pass each). */
export const MAX_LOSS_K = 1024;
/** k at or above this ranks the whole predictor-pool bin; labels print it as "1M" */
export const WHOLE_BIN_K = 1_000_000;
/** the largest k a run config accepts (with the predictor; the loss estimator stops at MAX_LOSS_K) */
export const MAX_K = 10_000_000;
/** k of BestUp-k / WorstUp-k when none is given: the reference's k = 3 */
export const DEFAULT_K = 3;

export interface KOption {
  min: number;
  /** the largest k per estimator */
  max: Readonly<Record<Estimator, number>>;
  default: number;
}

/** How a kind is built: sampler-setup.ts switches over `algorithm`. */
export type SamplerBuild = { algorithm: 'uniform' } | { algorithm: 'attentive'; mode: 'best' | 'worst' };

export interface SamplerKindSpec {
  /** the name labels start with: "Uniform", "BestUp" */
  name: string;
  /** the setup form's option text */
  option: string;
  /** one line of CLI help */
  help: string;
  /** what it does, in two sentences for the setup form (the paper's terms: Wang et al., CVPR 2021) */
  explain: string;
  /** the candidate count k, for kinds that rank candidates; null when k means nothing */
  k: KOption | null;
  /** the estimators that may rank its candidates; empty when it ranks none */
  estimators: readonly Estimator[];
  /** its entry in the UI palette's samplerColors (src/ui/charts/palette.ts keeps the hues, checked for contrast) */
  colorKey: string;
  /** trained by a comparison (`npm run compare`, the studio's Compare); the first is the baseline */
  inComparison: boolean;
  build: SamplerBuild;
}

const attentiveK: KOption = { min: 1, max: { loss: MAX_LOSS_K, predictor: MAX_K }, default: DEFAULT_K };

/** The table. Its type makes a kind without a row (or a row without a kind) a type error. */
export const samplerRegistry: { readonly [K in SamplerKind]: SamplerKindSpec } = {
  uniform: {
    name: 'Uniform',
    option: 'Uniform',
    help: 'uniform over the space (BigNAS; the baseline)',
    explain:
      'Draws the two middle subnets uniformly over every choice of the space, as BigNAS does. The baseline the attentive samplers are compared with.',
    k: null,
    estimators: [],
    colorKey: 'uniform',
    inComparison: true,
    build: { algorithm: 'uniform' },
  },
  bestup: {
    name: 'BestUp',
    option: 'BestUp-k (Pareto-best first)',
    help: 'of k candidates in a drawn FLOPs bin, train the best',
    explain:
      'Draws a FLOPs target from the prior, draws k candidates of about that size from the conditional sampler, and trains the one the estimator ranks best (lowest loss, or highest predicted accuracy): it pushes up the best Pareto front.',
    k: attentiveK,
    estimators: estimatorKinds,
    colorKey: 'bestup',
    inComparison: true,
    build: { algorithm: 'attentive', mode: 'best' },
  },
  worstup: {
    name: 'WorstUp',
    option: 'WorstUp-k (Pareto-worst first)',
    help: 'of k candidates in a drawn FLOPs bin, train the worst',
    explain:
      'Draws a FLOPs target and k candidates of about that size like BestUp, and trains the one the estimator ranks worst: it lifts the weakest subnets of each size, so that no region of the space is left behind.',
    k: attentiveK,
    estimators: estimatorKinds,
    colorKey: 'worstup',
    inComparison: true,
    build: { algorithm: 'attentive', mode: 'worst' },
  },
};

export const isSamplerKind = (kind: unknown): kind is SamplerKind => typeof kind === 'string' && Object.hasOwn(samplerRegistry, kind);

/** The row of a kind; an unknown kind (a stale file, a typo) is an error, never another sampler. */
export function samplerSpec(kind: string): SamplerKindSpec {
  if (!isSamplerKind(kind)) throw new Error(`unknown sampler "${kind}"; the samplers are ${samplerKinds.join(', ')}`);
  return samplerRegistry[kind];
}

/** The kinds a comparison trains, baseline first. */
export const comparisonKinds: readonly SamplerKind[] = samplerKinds.filter((kind) => samplerRegistry[kind].inComparison);

/** What a sampler setting holds (run config, studio settings). */
export interface SamplerSetting {
  kind: string;
  k: number;
  estimator: Estimator;
}

const kText = (k: number): string => (k >= WHOLE_BIN_K ? '1M' : String(k));
const estimatorTag: Record<Estimator, string> = { loss: 'loss', predictor: 'acc' };

/** The one label of a sampler setting: "Uniform", "BestUp-3 (loss)", "WorstUp-1M (acc)". */
export function samplerLabel(setting: SamplerSetting): string {
  const spec = samplerSpec(setting.kind);
  if (!spec.k) return spec.name;
  return `${spec.name}-${kText(setting.k)} (${estimatorTag[setting.estimator]})`;
}

/** Problems with a setting against its row's limits, each with the option it is about; [] when fine. */
export function samplerSettingProblems(setting: SamplerSetting): { option: 'kind' | 'k' | 'estimator'; message: string }[] {
  if (!isSamplerKind(setting.kind))
    return [{ option: 'kind', message: `unknown sampler "${setting.kind}"; the samplers are ${samplerKinds.join(', ')}` }];
  const spec = samplerRegistry[setting.kind];
  if (!spec.k) return [];
  if (!spec.estimators.includes(setting.estimator)) {
    return [
      { option: 'estimator', message: `${spec.name} accepts the estimators ${spec.estimators.join(', ')}, not "${setting.estimator}"` },
    ];
  }
  const max = spec.k.max[setting.estimator];
  if (!Number.isInteger(setting.k) || setting.k < spec.k.min || setting.k > max) {
    const message =
      setting.estimator === 'loss'
        ? `k = ${setting.k}: scoring by minibatch loss runs a forward pass per candidate, so k must be at most ${max} (use the predictor estimator for larger k)`
        : `k = ${setting.k}: ${spec.name} with the ${setting.estimator} estimator takes an integer k from ${spec.k.min} to ${max}`;
    return [{ option: 'k', message }];
  }
  return [];
}

/** CLI help lines for --sampler, --k and --estimator, from the table. */
export function samplerHelp(indent = '  '): string {
  const width = Math.max(...samplerKinds.map((kind) => kind.length));
  const rows = samplerKinds.map((kind) => `${indent}  ${kind.padEnd(width)}  ${samplerRegistry[kind].help}`);
  return [
    `${indent}--sampler ${samplerKinds.join('|')} (default uniform)`,
    ...rows,
    `${indent}--k N (default ${attentiveK.default}; at most ${MAX_LOSS_K} with --estimator loss, >= ${WHOLE_BIN_K} ranks the whole bin)`,
    `${indent}--estimator ${estimatorKinds.join('|')} (default loss)`,
  ].join('\n');
}
