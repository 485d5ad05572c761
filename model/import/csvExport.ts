import { parse as parseCsv } from "csv-parse/sync";

/** Reading the Microsoft 365 admin center's user export: which columns mean what, row numbers kept. */

/** Nothing can be imported: the message says why. */
export class ImportError extends Error {}

/** The CSV cannot be read as a user export. */
export class CsvReadError extends ImportError {}

export type Field =
    | "userPrincipalName"
    | "displayName"
    | "givenName"
    | "surname"
    | "mobilePhone"
    | "jobTitle"
    | "department"
    | "usageLocation"
    | "objectId"
    | "blockCredential"
    | "accountEnabled"
    | "userType"
    | "officeLocation"
    | "streetAddress"
    | "city"
    | "state"
    | "postalCode"
    | "country"
    | "businessPhone"
    | "faxNumber"
    | "companyName"
    | "employeeId"
    | "licenses"
    | "licenseDetails";

/**
 * Column names, compared without case, spaces or punctuation. The admin center's names come first; the
 * Entra admin center's "Download users" and Graph/PowerShell spellings are accepted too. Every other column
 * ("When created", ...) is ignored.
 */
const COLUMNS: Record<string, Field> = {
    userprincipalname: "userPrincipalName",
    displayname: "displayName",
    firstname: "givenName",
    givenname: "givenName",
    lastname: "surname",
    surname: "surname",
    mobilephone: "mobilePhone",
    mobile: "mobilePhone",
    title: "jobTitle",
    jobtitle: "jobTitle",
    department: "department",
    usagelocation: "usageLocation",
    objectid: "objectId",
    blockcredential: "blockCredential",
    accountenabled: "accountEnabled",
    usertype: "userType",
    office: "officeLocation",
    officelocation: "officeLocation",
    streetaddress: "streetAddress",
    city: "city",
    stateorprovince: "state",
    state: "state",
    ziporpostalcode: "postalCode",
    postalcode: "postalCode",
    countryorregion: "country",
    countryregion: "country",
    country: "country",
    phonenumber: "businessPhone",
    businessphones: "businessPhone",
    officephone: "businessPhone",
    fax: "faxNumber",
    faxnumber: "faxNumber",
    companyname: "companyName",
    employeeid: "employeeId",
    licenses: "licenses",
    licenseassignmentdetails: "licenseDetails",
};

const columnName = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, "");

export interface CsvRow {
    row: number;
    get(field: Field): string;
}

export function readCsv(csvText: string): { rows: CsvRow[]; fields: Set<Field> } {
    let records: string[][];
    try {
        records = parseCsv(csvText, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch (e) {
        throw new CsvReadError(`the CSV cannot be read: ${(e as Error).message}`);
    }
    if (records.length === 0 || records[0].every((c) => c.trim() === "")) throw new CsvReadError("the CSV is empty: export the users from the Microsoft 365 admin center (Active users → Export users)");
    const header = records[0];
    const index = new Map<Field, number>();
    header.forEach((name, i) => {
        const field = COLUMNS[columnName(name)];
        if (field && !index.has(field)) index.set(field, i);
    });
    if (!index.has("userPrincipalName")) {
        throw new CsvReadError(
            `the CSV has no "User principal name" column (its header is: ${header.slice(0, 8).join(", ")}${header.length > 8 ? ", ..." : ""}); ` +
                "export the users from the Microsoft 365 admin center: Active users → Export users",
        );
    }
    const rows: CsvRow[] = [];
    records.slice(1).forEach((cells, i) => {
        if (cells.every((c) => c.trim() === "")) return; // an empty line
        rows.push({ row: i + 2, get: (field) => (index.has(field) ? (cells[index.get(field)!] ?? "").trim() : "") });
    });
    return { rows, fields: new Set(index.keys()) };
}

