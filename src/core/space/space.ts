/**
 * A search space as plain JSON-serialisable data, and the schema that validates it.
 * Shape follows AttentiveNAS: per-stage elastic width, depth, kernel and expand ratio,
 * plus an elastic input resolution and elastic stem and last-conv widths.
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const widthChoice = positiveInt.refine((w) => w % 8 === 0, {
  message: 'channel widths must be multiples of 8',
});
const sortedUnique = <T extends z.ZodTypeAny>(item: T, what: string) =>
  z
    .array(item)
    .min(1, `${what} needs at least one choice`)
    .refine((xs) => xs.every((x, i) => i === 0 || (x as number) > (xs[i - 1] as number)), {
      message: `${what} choices must be strictly increasing`,
    });

export const stageSchema = z.object({
  widths: sortedUnique(widthChoice, 'widths'),
  depths: sortedUnique(positiveInt, 'depths'),
  kernelSizes: sortedUnique(
    positiveInt.refine((k) => k % 2 === 1, { message: 'kernel sizes must be odd' }),
    'kernelSizes',
  ),
  expandRatios: sortedUnique(positiveInt, 'expandRatios'),
  stride: z.union([z.literal(1), z.literal(2)]),
  squeezeExcite: z.boolean(),
});

export const searchSpaceSchema = z
  .object({
    name: z.string().min(1).max(64),
    input: z.object({ height: positiveInt, width: positiveInt, channels: positiveInt }),
    numClasses: z.number().int().min(2).max(1000),
    resolutions: sortedUnique(positiveInt, 'resolutions'),
    stem: z.object({
      widths: sortedUnique(widthChoice, 'stem widths'),
      kernelSize: positiveInt.refine((k) => k % 2 === 1, { message: 'kernel size must be odd' }),
      stride: z.union([z.literal(1), z.literal(2)]),
    }),
    stages: z.array(stageSchema).min(1).max(12),
    lastConv: z.object({ widths: sortedUnique(widthChoice, 'lastConv widths') }),
    dropout: z.number().min(0).max(0.9),
  })
  .superRefine((space, ctx) => {
    const maxRes = space.resolutions[space.resolutions.length - 1];
    if (maxRes > Math.max(space.input.height, space.input.width) * 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['resolutions'],
        message: `largest resolution ${maxRes} is more than twice the input size`,
      });
    }
  });

export type StageSpec = z.infer<typeof stageSchema>;
export type SearchSpace = z.infer<typeof searchSpaceSchema>;

/** Validates outside data against a schema; throws an Error naming what it is and each bad field. */
export function parseWithSchema<S extends z.ZodTypeAny>(schema: S, data: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw new Error(`Invalid ${what}: ${describeZodError(result.error)}`);
  return result.data;
}

/** Validates unknown data as a search space; throws an Error naming the bad field. */
export const parseSearchSpace = (data: unknown): SearchSpace => parseWithSchema(searchSpaceSchema, data, 'search space');

/** how many problems a message lists: a hostile file may have a million */
const MAX_LISTED_ISSUES = 10;

/** One line per problem: "stages.1.widths: channel widths must be multiples of 8" (the first ten, then a count). */
export function describeZodError(error: z.ZodError): string {
  const listed = error.issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = error.issues.length - listed.length;
  return [...listed, ...(more > 0 ? [`and ${more} more problem${more === 1 ? '' : 's'}`] : [])].join('; ');
}

/** Rounds channels to a multiple of `divisor` the way AttentiveNAS's make_divisible does. */
export function makeDivisible(value: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}

export const last = <T>(xs: readonly T[]): T => xs[xs.length - 1];
