import { parseDocument } from "yaml";
import { Diagnostic } from "../diagnostics";
import { ExistingUser, Existing } from "./types";

/** The firm's users.yaml as the importer needs it: its users' names and ids, and where things are. */

export function readExisting(text: string): Existing | Diagnostic[] {
    const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
    const body = text.slice(bom.length);
    const document = parseDocument(body, { prettyErrors: false, uniqueKeys: false, version: "1.2", schema: "core" });
    if (document.errors.length > 0) return [];
    let data: unknown;
    try {
        data = document.toJS({ maxAliasCount: 1000 });
    } catch {
        return [];
    }
    const file = (isRecord(data) ? data : {}) as Record<string, unknown>;
    const users: ExistingUser[] = [];
    if (isRecord(file.users)) {
        for (const [key, value] of Object.entries(file.users)) {
            const user = isRecord(value) ? value : {};
            const text = (v: unknown) => (typeof v === "string" ? v : undefined);
            users.push({ key, userPrincipalName: text(user.userPrincipalName), objectId: text(user.objectId), mailNickname: text(user.mailNickname) });
        }
    }
    const defaults = isRecord(file.defaults) ? file.defaults : {};
    const defaultUsageLocation = typeof defaults.usageLocation === "string" ? defaults.usageLocation : undefined;
    return { text: body, bom, document, users, defaultUsageLocation };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

