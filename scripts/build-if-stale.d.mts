/** The repository root. */
export declare const root: string;
/** Files `npm run build` writes into dist/. */
export declare const builtFiles: readonly string[];
/** Why dist/ must be rebuilt, or null when it is up to date (`dir`: the project root, for tests). */
export declare function staleReason(dir?: string): string | null;
/** Runs `npm run build` when dist/ is stale; returns whether it built. */
export declare function buildIfStale(): boolean;
