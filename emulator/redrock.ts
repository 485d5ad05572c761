import { acceptLowerCase, ApiError, checkParams, stringParam, type Body } from "./envelope";
import { queryResult, readArgs } from "./paging";
import type { PortalState } from "./state";

/**
 * POST /Redrock/query: the SQL-like subset the reference shows, and nothing more:
 *   SELECT * | col, col... FROM table [WHERE col = 'text'] [;]
 * Keywords, table and column names are case-insensitive; text literals double a quote to escape it. A name with an
 * unescaped quote therefore ends the literal early and what follows is a syntax error, never a second condition.
 * Messages copy SQLite's wording ("near \"x\": syntax error"); the platform's exact text is unknown (L).
 */
export interface SelectQuery {
    columns: string[] | "*";
    table: string;
    where?: { column: string; value: string };
}

type Token =
    | { kind: "word" | "string" | "punct"; text: string; value: string }
    | { kind: "end"; text: ""; value: "" }
    /** what cannot be a token; an error only when the parser gets there, so the earliest problem is the one reported */
    | { kind: "bad"; text: string; value: "" };

const KEYWORDS = new Set(["select", "from", "where", "and", "or", "not", "order", "by", "limit", "union", "join", "like", "in", "is", "null"]);

function tokenize(script: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < script.length) {
        const c = script[i];
        if (/\s/.test(c)) {
            i++;
        } else if (/\w/.test(c)) {
            const word = /^\w+/.exec(script.slice(i))![0];
            tokens.push({ kind: "word", text: word, value: word });
            i += word.length;
        } else if (c === "'") {
            let value = "";
            let j = i + 1;
            for (;;) {
                if (j >= script.length) return [...tokens, { kind: "bad", text: script.slice(i), value: "" }];
                if (script[j] === "'") {
                    if (script[j + 1] === "'") {
                        value += "'";
                        j += 2;
                        continue;
                    }
                    break;
                }
                value += script[j++];
            }
            tokens.push({ kind: "string", text: script.slice(i, j + 1), value });
            i = j + 1;
        } else if ("*,=;".includes(c)) {
            tokens.push({ kind: "punct", text: c, value: c });
            i++;
        } else {
            return [...tokens, { kind: "bad", text: c, value: "" }];
        }
    }
    tokens.push({ kind: "end", text: "", value: "" });
    return tokens;
}

export function parseScript(script: string): SelectQuery {
    const tokens = tokenize(script);
    let at = 0;
    const peek = () => tokens[at];
    const unexpected = (): ApiError => {
        const t = peek();
        if (t.kind === "end") return syntax("incomplete input");
        if (t.kind === "bad") return syntax(`unrecognized token: "${t.text}"`);
        return syntax(`near "${t.text}": syntax error`);
    };
    const keyword = (k: string) => {
        if (peek().kind !== "word" || peek().value.toLowerCase() !== k) throw unexpected();
        at++;
    };
    const name = () => {
        const t = peek();
        if (t.kind !== "word" || KEYWORDS.has(t.value.toLowerCase())) throw unexpected();
        at++;
        return t.value;
    };
    const punct = (p: string) => {
        if (peek().kind === "punct" && peek().value === p) {
            at++;
            return true;
        }
        return false;
    };

    keyword("select");
    let columns: string[] | "*";
    if (punct("*")) {
        columns = "*";
    } else {
        columns = [name()];
        while (punct(",")) columns.push(name());
    }
    keyword("from");
    const table = name();
    let where: SelectQuery["where"];
    if (peek().kind === "word" && peek().value.toLowerCase() === "where") {
        at++;
        const column = name();
        if (!punct("=")) throw unexpected();
        const literal = peek();
        if (literal.kind !== "string") throw unexpected();
        at++;
        where = { column, value: literal.value };
    }
    punct(";");
    if (peek().kind !== "end") throw unexpected();
    return { columns, table, where };
}

const syntax = (message: string) => new ApiError(message, `SQLiteException: SQL logic error\n${message}`);

type Row = Record<string, string | null>;
interface Table {
    columns: string[];
    rows(state: PortalState): Row[];
}

const date = (ms: number | undefined) => (ms === undefined ? null : `/Date(${ms})/`);

const TABLES: Record<string, Table> = {
    User: {
        columns: ["ID", "Username", "DisplayName", "Email", "MobileNumber", "Status", "LastInvite", "LastLogin", "DirectoryServiceUuid"],
        rows: (state) =>
            state.portalUsers().map((u) => ({
                ID: u.uuid,
                Username: state.quirks.lowerCaseUserNames ? u.userName.toLowerCase() : u.userName,
                DisplayName: u.displayName,
                Email: u.email ?? null,
                MobileNumber: u.mobileNumber ?? null,
                Status: u.status,
                LastInvite: date(u.lastInvite),
                LastLogin: date(u.lastLogin),
                DirectoryServiceUuid: u.directoryUuid,
            })),
    },
    Role: {
        columns: ["ID", "Name", "Description", "RoleType"],
        rows: (state) => [...state.roles.values()].map((r) => ({ ID: r.id, Name: r.name, Description: r.description, RoleType: r.roleType })),
    },
};

const lookup = (names: string[], wanted: string) => names.find((n) => n.toLowerCase() === wanted.toLowerCase());

/** POST /Redrock/query {Script, Args} (H); `args` is accepted too, as released SDKs send it (M). */
export function redrockQuery(state: PortalState, request: Body) {
    const body = acceptLowerCase(request, ["Args"]);
    checkParams(body, { required: ["Script"], optional: ["Args"] });
    const args = readArgs(body);
    const query = parseScript(stringParam(body, "Script"));

    const tableName = lookup(Object.keys(TABLES), query.table);
    if (!tableName) throw new ApiError(`no such table: ${query.table}`);
    const table = TABLES[tableName];
    const column = (c: string) => {
        const found = lookup(table.columns, c);
        if (!found) throw new ApiError(`no such column: ${c}`);
        return found;
    };
    const selected = query.columns === "*" ? table.columns : query.columns.map(column);
    let rows = table.rows(state);
    if (query.where) {
        const { value } = query.where;
        const key = column(query.where.column);
        // How the platform compares is not documented (L). Default: ignoring case. With lowerCaseUserNames, user
        // names are stored lower-cased and compared exactly, so only a lower-cased name finds its user.
        const exact = tableName === "User" && key === "Username" && state.quirks.lowerCaseUserNames;
        rows = rows.filter((r) => r[key] !== null && (exact ? r[key] === value : r[key]!.toLowerCase() === value.toLowerCase()));
    }
    const projected = rows.map((r) => Object.fromEntries(selected.map((c) => [c, r[c]])));
    return queryResult(selected, projected, args, state.quirks.limit);
}
