import type { Fault } from "./types";

interface Pending {
    fault: Fault;
    remaining: number;
    path?: RegExp;
}

/** Faults waiting to answer calls, first injected first served; each answered call uses up one count. */
export class FaultQueue {
    private readonly pending: Pending[] = [];

    add(fault: Fault, count: number, match?: { path?: RegExp }): void {
        if (!Number.isInteger(count) || count < 1) throw new Error(`fault count must be a positive integer, got ${count}`);
        this.pending.push({ fault, remaining: count, path: match?.path });
    }

    clear(): void {
        this.pending.length = 0;
    }

    /** The fault for a call to `path` (without query string), if any, counting it as used. */
    take(path: string): Fault | undefined {
        const index = this.pending.findIndex((p) => !p.path || testOnce(p.path, path));
        if (index < 0) return undefined;
        const entry = this.pending[index];
        if (--entry.remaining === 0) this.pending.splice(index, 1);
        return entry.fault;
    }
}

// A /g or /y RegExp keeps lastIndex between test() calls: reset it so every call is matched from the start.
function testOnce(re: RegExp, text: string): boolean {
    re.lastIndex = 0;
    return re.test(text);
}
