import { ADMIN_ROLE_TEMPLATE_IDS, isPrivilegedRole } from "../model/adminRoles";
import { LICENSE_SKUS } from "../model/licenseSkus";
import { usersJsonSchema } from "../model";

/**
 * The field reference of docs/users-yaml-reference.md, written from the same JSON schema as users.schema.json
 * (itself from model/schema.ts), so the page cannot drift from what the validator accepts. Only the part
 * between the markers is generated; the prose around it is the page's own and is kept as it is.
 */

export const REFERENCE_PAGE = "docs/users-yaml-reference.md";
export const BEGIN_MARKER = "<!-- BEGIN GENERATED FIELD REFERENCE: npm run schema writes this part from model/schema.ts; edit the schema's descriptions, not this text -->";
export const END_MARKER = "<!-- END GENERATED FIELD REFERENCE -->";

/** The JSON schema nodes this renderer reads (the draft-7 output of z.toJSONSchema). */
interface Node {
    type?: string;
    description?: string;
    enum?: string[];
    items?: Node;
    anyOf?: Node[];
    properties?: Record<string, Node>;
    additionalProperties?: Node | boolean;
    required?: string[];
    minimum?: number;
    maximum?: number;
    minLength?: number;
    maxItems?: number;
    format?: string;
}

const ADMIN_ROLES = Object.keys(ADMIN_ROLE_TEMPLATE_IDS);

/** Markdown table cells cannot hold a bare `|` or a line break. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** What a value looks like, in words a firm's IT person reads: text, a list of ..., true or false. */
function typeOf(node: Node): string {
    if (node.anyOf) {
        const kinds = node.anyOf.filter((n) => n.type !== "null").map(typeOf);
        const nullable = node.anyOf.some((n) => n.type === "null");
        return [...new Set(kinds)].join(" or ") + (nullable ? ", or `null`" : "");
    }
    if (node.enum) {
        if (sameList(node.enum, ADMIN_ROLES)) return "an [admin role](#admin-roles)";
        if (node.enum.length <= 8) return `one of ${node.enum.map((v) => `\`${v}\``).join(", ")}`;
        return `a code (${node.enum.length} allowed, e.g. \`${node.enum.includes("AU") ? "AU" : node.enum[0]}\`)`;
    }
    switch (node.type) {
        case "string":
            return node.format === "uuid" || node.format === "guid" ? "a GUID" : "text";
        case "boolean":
            return "`true` or `false`";
        case "integer":
            return node.minimum !== undefined ? `a whole number, at least ${node.minimum}` : "a whole number";
        case "number":
            return "a number";
        case "array": {
            const list = node.items?.enum && sameList(node.items.enum, ADMIN_ROLES) ? "list of [admin roles](#admin-roles)" : `list of ${node.items ? typeOf(node.items) : "values"}`;
            return node.maxItems !== undefined ? `${list} (at most ${node.maxItems})` : list;
        }
        case "object":
            return "a mapping (see below)";
        default:
            return node.description ? "see description" : "any";
    }
}

/** A licence entry is text or { name, disabledPlans }: named once, explained in its own section. */
const isLicense = (node: Node) => node.anyOf?.some((n) => n.type === "object" && n.properties?.name !== undefined && n.properties?.disabledPlans !== undefined) ?? false;
const isPracticeProtect = (node: Node) => node.type === "object" && node.properties?.invite !== undefined && node.properties?.roles !== undefined;

function typeCell(node: Node): string {
    if (node.type === "array" && node.items && isLicense(node.items)) return "list of [licences](#a-licence)";
    if (isPracticeProtect(node)) return "[`practiceProtect`](#practiceprotect) mapping";
    return typeOf(node);
}

function fieldTable(node: Node, requiredNote = "required"): string[] {
    const required = new Set(node.required ?? []);
    const rows = ["| field | value | meaning |", "|---|---|---|"];
    for (const [name, field] of Object.entries(node.properties ?? {})) {
        const flags = required.has(name) ? ` (${requiredNote})` : "";
        rows.push(`| \`${name}\`${flags} | ${cell(typeCell(field))} | ${cell(field.description ?? "")} |`);
    }
    return rows;
}

const mapOf = (node: Node): Node => (typeof node.additionalProperties === "object" ? node.additionalProperties : {});

/** The generated part of the reference page, markers excluded. */
export function renderFieldReference(): string {
    const schema = usersJsonSchema() as Node;
    const top = schema.properties ?? {};
    const out: string[] = [];
    const section = (heading: string, intro: string | undefined, body: string[]) => {
        out.push(`### ${heading}`, "");
        if (intro) out.push(intro, "");
        out.push(...body, "");
    };

    section("The top level", schema.description, fieldTable(schema));
    if (top.tenant) section("`tenant`", top.tenant.description, fieldTable(top.tenant));
    if (top.defaults) section("`defaults`", top.defaults.description, fieldTable(top.defaults));
    if (top.profiles) section("`profiles.<name>`", `${top.profiles.description ?? ""} ${mapOf(top.profiles).description ?? ""}`.trim(), fieldTable(mapOf(top.profiles)));
    if (top.groups) section("`groups.<name>`", `${top.groups.description ?? ""} ${mapOf(top.groups).description ?? ""}`.trim(), fieldTable(mapOf(top.groups)));
    if (top.users) {
        const user = mapOf(top.users);
        section("`users.<key>`", `${top.users.description ?? ""} ${user.description ?? ""}`.trim(), fieldTable(user, "required"));
        const pp = user.properties?.practiceProtect;
        if (pp) section("`practiceProtect`", `On \`defaults\`, a profile or a user. ${pp.description ?? ""}`.trim(), fieldTable(pp));
        const license = user.properties?.licenses?.items;
        if (license?.anyOf) {
            const [asText, asObject] = [license.anyOf.find((n) => n.type === "string"), license.anyOf.find((n) => n.type === "object")];
            const body = [`Either text: ${asText?.description ?? ""}`.trim(), "", `Or a mapping: ${asObject?.description ?? ""}`.trim(), "", ...(asObject ? fieldTable(asObject) : [])];
            section("A licence", license.description, body);
        }
    }

    section(
        "Admin roles",
        "The built-in Entra roles `adminRoles` accepts, by display name, with the role template id each is assigned by (the same in every tenant; `model/adminRoles.ts`). Privileged: Microsoft marks the role PRIVILEGED in its \"Microsoft Entra built-in roles\" reference; granting or taking one away is listed under \"Needs attention\" in the review, and the plan names it.",
        ["| role | template id | privileged |", "|---|---|---|", ...Object.entries(ADMIN_ROLE_TEMPLATE_IDS).map(([name, id]) => `| ${name} | \`${id}\` | ${isPrivilegedRole(id) ? "yes" : "-"} |`)],
    );
    section(
        "Licences known offline",
        "Validation and the offline plan know these licences by product name or part number; a former name is understood, with a warning to write the current one (`model/licenseSkus.ts`, from Microsoft's \"Product names and service plan identifiers for licensing\"). Any other name is a warning offline and must be a part number of one of the tenant's subscriptions when deploying.",
        [
            "| product name | part number | former names |",
            "|---|---|---|",
            ...LICENSE_SKUS.map((s) => `| ${cell(s.productName)} | \`${s.partNumber}\` | ${cell((s.formerNames ?? []).join(", "))} |`),
        ],
    );
    return out.join("\n").trimEnd();
}

/** A page with nothing of its own yet: a title and the generated part. */
const NEW_PAGE = (generated: string) => `# users.yaml reference\n\n${BEGIN_MARKER}\n\n${generated}\n\n${END_MARKER}\n`;

/**
 * The reference page as it should be: `current` with the text between the markers replaced, or a new page.
 * A page whose markers are missing or out of order is an error, never silently rewritten.
 */
export function renderReferencePage(current: string | undefined): string {
    const generated = renderFieldReference();
    if (current === undefined) return NEW_PAGE(generated);
    const begin = current.indexOf(BEGIN_MARKER);
    const end = current.indexOf(END_MARKER);
    if (begin < 0 || end < begin || current.indexOf(BEGIN_MARKER, begin + 1) >= 0 || current.indexOf(END_MARKER, end + 1) >= 0) {
        throw new Error(`${REFERENCE_PAGE} must hold the generated field reference between one line '${BEGIN_MARKER}' and one line '${END_MARKER}'; put them back (or delete the page to start a new one) and run npm run schema`);
    }
    return `${current.slice(0, begin)}${BEGIN_MARKER}\n\n${generated}\n\n${current.slice(end)}`;
}
