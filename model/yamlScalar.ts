/**
 * A value as a YAML plain scalar when that reads back as the same string, in block and flow context alike, else
 * double-quoted (JSON's string syntax is valid YAML): for the lines an error message tells the reader to add.
 */
export function yamlScalar(value: string): string {
    const plain = /^[A-Za-z0-9][A-Za-z0-9 ._@()'-]*$/.test(value) && !/\s$/.test(value) && !/^(true|false|null|yes|no|on|off|[-+.\d][\d._]*(e[-+]?\d+)?)$/i.test(value);
    return plain ? value : JSON.stringify(value);
}
