/**
 * A subnet's encoding as a person reads it: input size, stem and last-conv widths, and one row
 * per stage (blocks, channels, kernel, expansion, squeeze-excite, stride), instead of the raw
 * AttentiveNAS JSON, which stays one click away for copying.
 */
import type { SearchSpace } from '../../core/space/space';
import type { Subnet } from '../../core/space/subnet';

export function SubnetFacts({ space, subnet }: { space: SearchSpace; subnet: Subnet }) {
  const stages = space.stages.length;
  return (
    <>
      <table className="subnet-stages" data-testid="subnet-stages">
        <caption>
          Input {subnet.resolution}×{subnet.resolution} px · stem {subnet.width[0]} channels ({space.stem.kernelSize}×
          {space.stem.kernelSize}, stride {space.stem.stride}) · last 1×1 conv {subnet.width[stages + 1]} channels
        </caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Blocks</th>
            <th scope="col">Channels</th>
            <th scope="col">Kernel</th>
            <th scope="col">Expansion</th>
            <th scope="col">Stride</th>
          </tr>
        </thead>
        <tbody>
          {space.stages.map((stage, i) => (
            <tr key={i}>
              <th scope="row">
                {i + 1}
                {stage.squeezeExcite ? ' (SE)' : ''}
              </th>
              <td>{subnet.depth[i]}</td>
              <td>{subnet.width[i + 1]}</td>
              <td>
                {subnet.kernel_size[i]}×{subnet.kernel_size[i]}
              </td>
              <td>×{subnet.expand_ratio[i]}</td>
              <td>{stage.stride}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="encoding">
        <summary>AttentiveNAS encoding (JSON)</summary>
        <pre data-testid="detail-encoding">{JSON.stringify(subnet)}</pre>
      </details>
    </>
  );
}
