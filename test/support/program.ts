import { MockDeployment, MockDeploymentError, MockDeploymentOptions, runMockDeployment } from "../../cli/mockDeployment";

export const PROJECT = "practiceprotect-users";

const program = () => (require("../../index") as () => Promise<Record<string, unknown>>)();

/** Runs index.ts offline against a users.yaml path with the given stack settings. */
export function deploy(usersFile: string, options: Omit<MockDeploymentOptions, "project"> = {}): Promise<MockDeployment> {
    return runMockDeployment(program, { ...options, project: PROJECT, config: { ...options.config, usersFile } });
}

/** Runs the program expecting it to fail: the error, and everything it had declared by then. */
export async function deployFailure(usersFile: string, options: Omit<MockDeploymentOptions, "project"> = {}): Promise<MockDeploymentError> {
    try {
        const run = await deploy(usersFile, options);
        throw new Error(`expected the program to fail, but it declared ${run.registrations.length} resources`);
    } catch (error) {
        if (error instanceof MockDeploymentError) return error;
        throw error;
    }
}

export const byType = (run: MockDeployment, type: string) => run.registrations.filter((r) => r.type === type);

export const named = (run: MockDeployment, type: string, name: string) => {
    const found = run.registrations.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
};

/** Pulumi's wire form of a secret value: what the engine receives for a secret input. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const isSecretInput = (value: unknown) => !!value && typeof value === "object" && SECRET_SIG in (value as object);
