/** The persisted-record schemas in core must describe exactly what the UI stores, both ways. */
import { describe, expectTypeOf, it } from 'vitest';
import type { PersistedComparisonGroup, PersistedRun, PersistedSearch } from '../../src/core/records/run-record-schema';
import type { SearchState } from '../../src/ui/store/explore-slice';
import type { ComparisonGroup, RunRecord } from '../../src/ui/store/runs-slice';

describe('persisted record schemas match the store types', () => {
  it('RunRecord', () => {
    expectTypeOf<RunRecord>().toExtend<PersistedRun>();
    expectTypeOf<PersistedRun>().toExtend<RunRecord>();
  });

  it('SearchState', () => {
    expectTypeOf<SearchState>().toExtend<PersistedSearch>();
    expectTypeOf<PersistedSearch>().toExtend<SearchState>();
  });

  it('ComparisonGroup', () => {
    expectTypeOf<ComparisonGroup>().toExtend<PersistedComparisonGroup>();
    expectTypeOf<PersistedComparisonGroup>().toExtend<ComparisonGroup>();
  });
});
