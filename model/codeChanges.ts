/** Files that are read, not run: the users files, the stack settings (reviewed line by line) and the documentation. */
const DATA = [/(^|\/)users[^/]*\.yaml$/, /^Pulumi(\.[^/]+)?\.yaml$/, /\.md$/, /^docs\//];

/**
 * "Needs attention" lines for a change to what runs rather than what it is told: the workflows (a pull request's
 * own runs, checks and comments follow its own workflow files) and the program, its tests and its dependencies
 * (an approved preview runs them with the read-only identity, pulumi up after the merge with the deploying one).
 * Pure: the paths come from git.
 */
export function codeChangeAttention(paths: readonly string[]): string[] {
    const list = (files: readonly string[]) => (files.length > 5 ? `${files.slice(0, 5).join(", ")} and ${files.length - 5} more` : files.join(", "));
    const workflows = paths.filter((p) => p.startsWith(".github/"));
    const code = paths.filter((p) => !p.startsWith(".github/") && !DATA.some((d) => d.test(p)));
    const lines: string[] = [];
    if (workflows.length) {
        lines.push(`the workflows change (${list(workflows)}): this pull request's own runs, checks and any comment they post follow them; read the change before approving a preview or trusting its checks`);
    }
    if (code.length) {
        lines.push(`the program changes (${list(code)}): an approved preview runs it with the read-only identity, and pulumi up with the deploying identity after the merge; read it as code`);
    }
    return lines;
}
