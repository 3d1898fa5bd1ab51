/** A subnet's stages drawn small: one box per block, as wide as its channels, labelled with kernel and expand ratio. */
import { planSubnet } from '../../core/space/plan';
import type { SearchSpace } from '../../core/space/space';
import type { Subnet } from '../../core/space/subnet';
import { stageHues } from './palette';

export function SubnetDiagram({ space, subnet }: { space: SearchSpace; subnet: Subnet }) {
  const plan = planSubnet(space, subnet);
  const maxWidth = Math.max(plan.stem.outChannels, plan.lastConv.outChannels, ...plan.blocks.map((b) => b.hiddenChannels));
  const items = [
    { label: `stem ${plan.stem.kernelSize}x${plan.stem.kernelSize}`, channels: plan.stem.outChannels, stage: -1 },
    ...plan.blocks.map((b) => ({
      label: `k${b.kernelSize} e${b.expandRatio}${b.seChannels ? ' SE' : ''}`,
      channels: b.hiddenChannels,
      stage: b.stage,
    })),
    { label: '1x1 last', channels: plan.lastConv.outChannels, stage: -2 },
  ];
  const boxW = 58;
  const H = 96;
  const width = items.length * (boxW + 6) + 50;
  return (
    <svg
      viewBox={`0 0 ${width} ${H + 30}`}
      className="diagram"
      role="img"
      aria-label="the subnet's blocks"
      data-testid="subnet-diagram"
      data-blocks={plan.blocks.length}
    >
      <text x={0} y={12} className="axis-label">
        {plan.resolution}px
      </text>
      {items.map((item, i) => {
        const h = 16 + (item.channels / maxWidth) * (H - 24);
        const x = 46 + i * (boxW + 6);
        const fill = item.stage >= 0 ? stageHues[item.stage % stageHues.length] : '#888888';
        return (
          <g key={i}>
            <title>{`${item.stage >= 0 ? `stage ${item.stage + 1}, ` : ''}${item.label}: ${item.channels} channels`}</title>
            <rect x={x} y={(H - h) / 2 + 8} width={boxW} height={h} rx={4} fill={fill} fillOpacity={0.35} stroke={fill} />
            <text x={x + boxW / 2} y={H / 2 + 12} textAnchor="middle" className="axis-label">
              {item.channels}
            </text>
            <text x={x + boxW / 2} y={H + 24} textAnchor="middle" className="axis-label">
              {item.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
