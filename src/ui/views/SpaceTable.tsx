/** The search space as a readable table: every stage and its choices, with the MACs range and size. */
import { useMemo } from 'react';
import { countMacs } from '../../core/space/macs';
import { presetSpace } from '../../core/space/presets';
import { countSubnets, largestSubnet, smallestSubnet } from '../../core/space/subnet';

const list = (xs: readonly number[]) => xs.join(', ');

export function SpaceTable({ spaceName }: { spaceName: string }) {
  const info = useMemo(() => {
    const space = presetSpace(spaceName);
    return {
      space,
      subnets: countSubnets(space),
      min: countMacs(space, smallestSubnet(space)),
      max: countMacs(space, largestSubnet(space)),
    };
  }, [spaceName]);
  const { space } = info;
  return (
    <div className="space-table" data-testid="space-table">
      <p className="space-summary" data-testid="space-summary">
        <strong>{info.subnets.toLocaleString('en')}</strong> subnets · <strong>{(info.min / 1e6).toFixed(2)}</strong> to{' '}
        <strong>{(info.max / 1e6).toFixed(2)}</strong> M multiply-adds ({(info.max / info.min).toFixed(1)}x) · input {space.input.height}x
        {space.input.width}x{space.input.channels}, {space.numClasses} classes
      </p>
      <table>
        <thead>
          <tr>
            <th>Part</th>
            <th>Width</th>
            <th>Depth</th>
            <th>Kernel</th>
            <th>Expand</th>
            <th>Stride</th>
            <th>SE</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Input resolution</td>
            <td colSpan={6}>{list(space.resolutions)}</td>
          </tr>
          <tr>
            <td>Stem conv</td>
            <td>{list(space.stem.widths)}</td>
            <td>1</td>
            <td>{space.stem.kernelSize}</td>
            <td>–</td>
            <td>{space.stem.stride}</td>
            <td>–</td>
          </tr>
          {space.stages.map((stage, i) => (
            <tr key={i} data-stage={i + 1}>
              <td>Stage {i + 1} (MBConv)</td>
              <td>{list(stage.widths)}</td>
              <td>{list(stage.depths)}</td>
              <td>{list(stage.kernelSizes)}</td>
              <td>{list(stage.expandRatios)}</td>
              <td>{stage.stride}</td>
              <td>{stage.squeezeExcite ? 'yes' : 'no'}</td>
            </tr>
          ))}
          <tr>
            <td>Last conv (1x1)</td>
            <td>{list(space.lastConv.widths)}</td>
            <td colSpan={5}>
              then global pooling, dropout {space.dropout}, linear to {space.numClasses} classes
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
