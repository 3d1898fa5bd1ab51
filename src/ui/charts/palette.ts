/**
 * Colours shared by every chart. One set serves both themes: each hue has a relative luminance
 * between 0.14 and 0.27, which keeps it at 3:1 or more (WCAG 1.4.11, graphics) against the
 * light panels (#ffffff, #f4f6f8) and the dark ones (#1a1f26, #111418); the browser test
 * 'contrast' checks the rendered colours. #f58518 (2.55:1) and #29a7d6 (2.77:1 on white) were
 * replaced for that reason.
 */
import { isSamplerKind, samplerRegistry } from '../../core/sampling/sampler-registry';

export const roleColors: Record<string, string> = { largest: '#e4572e', sampled: '#8c6bd6', smallest: '#1f8ab3' };
/** keyed by the sampler registry's colorKey (src/core/sampling/sampler-registry.ts) */
export const samplerColors: Record<string, string> = { uniform: '#4c78a8', bestup: '#d0650c', worstup: '#3f8f37' };
/** a sampler kind's colour, through its registry row; grey for a kind the registry does not know (an old stored run) */
export const samplerColor = (kind: string) =>
  (isSamplerKind(kind) ? samplerColors[samplerRegistry[kind].colorKey] : undefined) ?? '#888888';
/** a comparison's noise-floor control: the baseline again, so grey rather than a sampler's hue */
export const noiseFloorColor = '#888888';
/** the ring around the best subnet under the budget in the Pareto scatter */
export const paretoBest = '#d4458f';
/** one hue per stage in the subnet diagram */
export const stageHues = ['#4c78a8', '#d0650c', '#3f8f37', '#b279a2', '#e45756', '#2d8a85'];
