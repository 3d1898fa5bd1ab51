/**
 * Analytic multiply-accumulate and parameter counts, as the paper counts "FLOPs":
 * conv = c_in*c_out*k^2*H_out*W_out/groups, linear = in*out; BN, activations, pools,
 * adds and biases are not counted.
 */
import type { SearchSpace } from './space';
import type { Subnet } from './subnet';
import { planSubnet, type SubnetPlan } from './plan';

export type LayerKind = 'conv' | 'depthwise' | 'linear';

/** One counted layer, named like the engine's trace so a test can compare them one by one. */
export interface CountedLayer {
  name: string;
  kind: LayerKind;
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  outSize: number;
  macs: number;
}

function conv(name: string, cin: number, cout: number, k: number, outSize: number): CountedLayer {
  return { name, kind: 'conv', inChannels: cin, outChannels: cout, kernelSize: k, outSize, macs: cin * cout * k * k * outSize * outSize };
}

/** Layer list of a plan in forward order. */
export function countedLayers(plan: SubnetPlan): CountedLayer[] {
  const layers: CountedLayer[] = [];
  layers.push(conv('stem', plan.inputChannels, plan.stem.outChannels, plan.stem.kernelSize, plan.stem.outSize));
  for (const b of plan.blocks) {
    const id = `s${b.stage}.b${b.block}`;
    if (b.expandRatio !== 1) layers.push(conv(`${id}.expand`, b.inChannels, b.hiddenChannels, 1, b.inSize));
    layers.push({
      name: `${id}.dw`,
      kind: 'depthwise',
      inChannels: b.hiddenChannels,
      outChannels: b.hiddenChannels,
      kernelSize: b.kernelSize,
      outSize: b.outSize,
      macs: b.hiddenChannels * b.kernelSize * b.kernelSize * b.outSize * b.outSize,
    });
    if (b.seChannels > 0) {
      layers.push(conv(`${id}.se.reduce`, b.hiddenChannels, b.seChannels, 1, 1));
      layers.push(conv(`${id}.se.expand`, b.seChannels, b.hiddenChannels, 1, 1));
    }
    layers.push(conv(`${id}.project`, b.hiddenChannels, b.outChannels, 1, b.outSize));
    if (b.shortcutConv) layers.push(conv(`${id}.shortcut`, b.inChannels, b.outChannels, 1, b.outSize));
  }
  layers.push(conv('last.conv', plan.lastConv.inChannels, plan.lastConv.outChannels, 1, plan.lastConv.size));
  layers.push({
    name: 'head',
    kind: 'linear',
    inChannels: plan.lastConv.outChannels,
    outChannels: plan.numClasses,
    kernelSize: 1,
    outSize: 1,
    macs: plan.lastConv.outChannels * plan.numClasses,
  });
  return layers;
}

export function countMacs(space: SearchSpace, subnet: Subnet): number {
  return countedLayers(planSubnet(space, subnet)).reduce((sum, layer) => sum + layer.macs, 0);
}

export const toMflops = (macs: number): number => macs / 1e6;

/**
 * Parameters of the subnet as a standalone network: conv and linear weights, their biases
 * (SE convs and the classifier), and BN gamma and beta.
 */
export function countParams(space: SearchSpace, subnet: Subnet): number {
  const plan = planSubnet(space, subnet);
  let params = 0;
  for (const layer of countedLayers(plan)) {
    const perOut =
      layer.kind === 'depthwise' ? layer.kernelSize * layer.kernelSize : layer.inChannels * layer.kernelSize * layer.kernelSize;
    params += perOut * layer.outChannels;
    if (layer.kind === 'linear' || layer.name.includes('.se.')) params += layer.outChannels; // bias
  }
  const bn = (c: number) => 2 * c;
  params += bn(plan.stem.outChannels) + bn(plan.lastConv.outChannels);
  for (const b of plan.blocks) {
    if (b.expandRatio !== 1) params += bn(b.hiddenChannels);
    params += bn(b.hiddenChannels) + bn(b.outChannels);
  }
  return params;
}
