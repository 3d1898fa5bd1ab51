/**
 * The files of a subnet export, defined once: the engine makes them (engine/subnet-export), the
 * worker transfers them, the UI downloads them and the CLI writes them to a folder. The
 * envelope among them has its own schema in subnet-envelope.ts.
 */
import { z } from 'zod';

export const exportFileSchema = z.object({
  name: z.string().min(1).max(200),
  /** text files as strings, weights as bytes (transferred, not copied, out of the worker) */
  data: z.union([z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'not bytes'), z.string()]),
  mime: z.string().max(100),
});
export type ExportFile = z.infer<typeof exportFileSchema>;
