/** Colours shared by every chart: mid-tone hues that read on both the light and the dark theme. */
export const roleColors: Record<string, string> = { largest: '#e4572e', sampled: '#9b7be0', smallest: '#29a7d6' };
export const samplerColors: Record<string, string> = { uniform: '#4c78a8', bestup: '#f58518', worstup: '#54a24b' };
export const samplerColor = (kind: string) => samplerColors[kind] ?? '#888888';
