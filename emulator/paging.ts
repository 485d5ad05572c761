import { ApiError, checkParams, isObject, type Body } from "./envelope";

export interface QueryArgs {
    /** 1-based */
    pageNumber: number;
    /** rows per page; 0 = all */
    pageSize: number;
    /** most rows in one answer; 0 = no cap */
    limit: number;
    sortBy: string;
}

// "Ascending" and "Direction": ark-sdk-python's DirectorySearchArgs sends both.
const ARG_NAMES = ["PageNumber", "PageSize", "Limit", "SortBy", "Caching", "Direction", "Ascending", "FilterBy", "FilterValue", "FilterQuery"] as const;

/** Reads `Args` (optional; absent = every row in one answer). */
export function readArgs(body: Body): QueryArgs {
    const args = body.Args;
    if (args === undefined || args === null) return { pageNumber: 1, pageSize: 0, limit: 0, sortBy: "" };
    if (!isObject(args)) throw new ApiError("Parameter 'Args' must be an object.");
    checkParams(args, { optional: ARG_NAMES });
    const int = (name: string) => {
        const v = args[name];
        if (v === undefined || v === null) return 0;
        if (typeof v !== "number" || !Number.isInteger(v)) throw new ApiError(`Parameter '${name}' must be an integer.`);
        return Math.max(0, v);
    };
    const sortBy = args.SortBy ?? "";
    if (typeof sortBy !== "string") throw new ApiError("Parameter 'SortBy' must be a string.");
    return { pageNumber: Math.max(1, int("PageNumber")), pageSize: int("PageSize"), limit: int("Limit"), sortBy };
}

type Row = Record<string, unknown>;
export type Entity = { Type: string; Key: string; IsForeignKey: boolean };

/**
 * The platform's query answer: {IsAggregate, Count, FullCount, Columns, Results: [{Entities, Row}], ReturnID}.
 * FullCount is every matching row; the page is rows[(PageNumber-1)*PageSize ...]. How Limit combines with paging
 * is not documented (M): "per-answer" caps each answer at Limit rows, "total" caps the whole result at its first
 * Limit rows before paging (then a client sending Limit = PageSize gets an empty page 2; real callers keep Limit
 * large). `entities` gives a row its Entities (directory rows carry the user's uuid in Entities[0].Key).
 */
export function queryResult(columns: string[], rows: Row[], args: QueryArgs, limitMode: "per-answer" | "total" = "per-answer", entities?: (row: Row) => Entity[]) {
    const sorted = args.sortBy ? sortRows(columns, rows, args.sortBy) : rows;
    const capped = limitMode === "total" && args.limit > 0 ? sorted.slice(0, args.limit) : sorted;
    const size = args.pageSize > 0 ? args.pageSize : capped.length;
    const start = (args.pageNumber - 1) * size;
    const page = capped.slice(start, start + size).slice(0, limitMode === "per-answer" && args.limit > 0 ? args.limit : undefined);
    return {
        IsAggregate: false,
        Count: page.length,
        FullCount: rows.length,
        Columns: columns.map((Name) => ({ Name })),
        Results: page.map((Row) => ({ Entities: entities ? entities(Row) : [], Row })),
        ReturnID: "",
    };
}

function sortRows(columns: string[], rows: Row[], sortBy: string): Row[] {
    const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(sortBy);
    const column = m && columns.find((c) => c.toLowerCase() === m[1].toLowerCase());
    if (!m || !column) throw new ApiError(`Invalid SortBy '${sortBy}': expected one of the columns (${columns.join(", ")}), optionally followed by asc or desc.`);
    const direction = m[2]?.toLowerCase() === "desc" ? -1 : 1;
    const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));
    return [...rows].sort((a, b) => direction * text(a[column]).localeCompare(text(b[column]), "en", { sensitivity: "base" }));
}
