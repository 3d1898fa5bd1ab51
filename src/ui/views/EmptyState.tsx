/** What a view shows before it has anything: what will appear here, and the one action that gets there. */
import type { ReactNode } from 'react';

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action: { label: string; perform: () => void };
}) {
  return (
    <section className="panel empty-state">
      <h2>{title}</h2>
      <p>{children}</p>
      <button className="primary" onClick={action.perform}>
        {action.label}
      </button>
    </section>
  );
}
