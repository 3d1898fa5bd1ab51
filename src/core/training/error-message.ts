/** The words of anything thrown: an Error's message, or the thrown value as a string. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
