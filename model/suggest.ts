import { distance } from "fastest-levenshtein";

/**
 * The nearest candidate to a mistyped name, or undefined when nothing is close enough to be a likely typo.
 * Case-insensitive; a candidate that differs only in case always wins.
 */
export function nearest(input: string, candidates: Iterable<string>): string | undefined {
    const lower = input.toLowerCase();
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = distance(lower, candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    const threshold = Math.max(2, Math.floor(lower.length / 3));
    if (best !== undefined && bestDistance <= threshold) return best;
    // An abbreviation ("Exchange Admin") is far in edits but plainly meant: take the shortest name it starts.
    if (lower.length < 4) return undefined;
    const extended = [...candidates].filter((c) => c.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length);
    return extended[0];
}

/** " (did you mean 'x'?)" or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
    const match = nearest(input, candidates);
    return match === undefined ? "" : ` (did you mean '${match}'?)`;
}
