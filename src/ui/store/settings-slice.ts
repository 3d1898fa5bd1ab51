/** The run form: settings as the schema defines them, mirrored in the URL. */
import type { StateCreator } from 'zustand/vanilla';
import { checkSettings, settingsFromQuery, type SettingKey, type StudioSettings } from '../../core/training/studio-settings';
import type { DatasetSummary } from '../../core/data/user-dataset';
import type { StudioState } from './studio-store';

/** A dataset loaded from the person's files, under the content fingerprint it is stored by. */
export type LoadedDataset = DatasetSummary & { id: string };

export interface SettingsSlice {
  settings: StudioSettings;
  /** problems with the link the page was opened from (shown once, values fell back to defaults) */
  linkProblems: string[];
  /** problems that block Start (cross-field checks) */
  settingsProblems: string[];
  setSetting<K extends SettingKey>(key: K, value: StudioSettings[K]): void;
  /** every setting at once (a preset such as the quick comparison) */
  replaceSettings(settings: StudioSettings): void;
  loadSettingsFromQuery(query: string): void;
  dismissLinkProblems(): void;
  /** the dataset loaded from the person's files, if any, and the outcome of the last attempt */
  userDataset: LoadedDataset | null;
  datasetStatus: { loading: boolean; error: string | null };
  setUserDataset(dataset: LoadedDataset | null): void;
  setDatasetStatus(status: { loading: boolean; error: string | null }): void;
}

export const createSettingsSlice: StateCreator<StudioState, [], [], SettingsSlice> = (set) => ({
  ...(() => {
    const { settings, problems } = settingsFromQuery('');
    return { settings, linkProblems: problems, settingsProblems: checkSettings(settings) };
  })(),
  setSetting: (key, value) =>
    set((state) => {
      const settings = { ...state.settings, [key]: value };
      return { settings, settingsProblems: checkSettings(settings) };
    }),
  replaceSettings: (settings) => set({ settings, settingsProblems: checkSettings(settings) }),
  loadSettingsFromQuery: (query) => {
    const { settings, problems } = settingsFromQuery(query);
    set({ settings, linkProblems: problems, settingsProblems: checkSettings(settings) });
  },
  dismissLinkProblems: () => set({ linkProblems: [] }),
  userDataset: null,
  datasetStatus: { loading: false, error: null },
  setUserDataset: (userDataset) => set({ userDataset }),
  setDatasetStatus: (datasetStatus) => set({ datasetStatus }),
});
