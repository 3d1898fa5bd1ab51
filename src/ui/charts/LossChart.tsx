/** Training loss of the largest and smallest subnets over steps. */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StepPoint } from '../store/runs-slice';
import { roleColors } from './palette';

const MAX_POINTS = 400;

export function LossChart({ steps }: { steps: StepPoint[] }) {
  const stride = Math.max(1, Math.ceil(steps.length / MAX_POINTS));
  const points = steps
    .filter((_, i) => i % stride === 0 || i === steps.length - 1)
    .map((s) => ({ step: s.step + 1, largest: s.losses[0], smallest: s.losses[s.losses.length - 1] }));
  if (points.length === 0) return <p className="empty">The loss curves appear after the first training step.</p>;
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
        <XAxis dataKey="step" stroke="var(--muted)" />
        <YAxis stroke="var(--muted)" domain={['auto', 'auto']} />
        <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--grid)', color: 'var(--text)' }} />
        <Legend />
        <Line type="monotone" dataKey="largest" name="largest subnet" stroke={roleColors.largest} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="smallest" name="smallest subnet" stroke={roleColors.smallest} dot={false} isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}
