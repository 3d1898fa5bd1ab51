/**
 * The search space and a subnet in the shape of AttentiveNAS's own YAML config
 * (`supernet_config` with `first_conv`, `mb1..mbN`, `last_conv`; `active_subnet` as
 * `{resolution, width, depth, kernel_size, expand_ratio}`), so an architecture found here can
 * be trained at scale with the reference PyTorch code.
 */
import type { SearchSpace } from './space';
import type { Subnet } from './subnet';

export interface AttentiveNasStage {
  c: number[];
  d: number[];
  k: number[];
  t: number[];
  s: number;
  act_func: 'swish';
  se: boolean;
}

export interface AttentiveNasConfig {
  n_classes: number;
  drop_out: number;
  supernet_config: Record<string, unknown> & {
    use_v3_head: boolean;
    resolutions: number[];
    first_conv: { c: number[]; act_func: 'swish'; s: number };
    last_conv: { c: number[]; act_func: 'swish' };
  };
  active_subnet?: Subnet;
}

export function toAttentiveNasConfig(space: SearchSpace, subnet?: Subnet): AttentiveNasConfig {
  const supernet: AttentiveNasConfig['supernet_config'] = {
    // our head is last_conv (1x1 conv, BN, swish), pooling, dropout, linear: no MobileNetV3 head
    use_v3_head: false,
    resolutions: [...space.resolutions],
    first_conv: { c: [...space.stem.widths], act_func: 'swish', s: space.stem.stride },
    last_conv: { c: [...space.lastConv.widths], act_func: 'swish' },
  };
  space.stages.forEach((stage, i) => {
    const entry: AttentiveNasStage = {
      c: [...stage.widths],
      d: [...stage.depths],
      k: [...stage.kernelSizes],
      t: [...stage.expandRatios],
      s: stage.stride,
      act_func: 'swish',
      se: stage.squeezeExcite,
    };
    supernet[`mb${i + 1}`] = entry;
  });
  // keep the key order of the reference files: resolutions, first_conv, mb*, last_conv
  const { use_v3_head, resolutions, first_conv, last_conv, ...stages } = supernet;
  const ordered = { use_v3_head, resolutions, first_conv, ...stages, last_conv } as AttentiveNasConfig['supernet_config'];
  const config: AttentiveNasConfig = { n_classes: space.numClasses, drop_out: space.dropout, supernet_config: ordered };
  if (subnet)
    config.active_subnet = {
      resolution: subnet.resolution,
      width: [...subnet.width],
      depth: [...subnet.depth],
      kernel_size: [...subnet.kernel_size],
      expand_ratio: [...subnet.expand_ratio],
    };
  return config;
}

/** A small YAML writer for nested maps of numbers, strings, booleans and flat lists (all this config holds). */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) return `[${value.map((v) => scalar(v)).join(', ')}]`;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, v]) =>
        v && typeof v === 'object' && !Array.isArray(v)
          ? `${pad}${key}:\n${toYaml(v, indent + 4)}`
          : `${pad}${key}: ${Array.isArray(v) ? toYaml(v) : scalar(v)}`,
      )
      .join('\n');
  }
  return scalar(value);
}

function scalar(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  throw new Error(`toYaml cannot write ${typeof v}`);
}

export function attentiveNasYaml(space: SearchSpace, subnet?: Subnet): string {
  const header = [
    `# search space ${JSON.stringify(space.name)} (input ${space.input.height}x${space.input.width}x${space.input.channels}) exported by NAS Studio`,
    '# in the shape of AttentiveNAS configs/*.yml; merge supernet_config / active_subnet into a training config',
  ];
  return `${header.join('\n')}\n${toYaml(toAttentiveNasConfig(space, subnet))}\n`;
}
