import { Rule } from "./context";
import { usageLocationOf } from "../resolve";

/** Mobile numbers parse, are mobiles, and are present for people Practice Protect will text. */
export const mobileNumbersAreMobiles: Rule = (ctx) => {
    for (const [key, user] of ctx.users()) {
        if (user.mobilePhone == null) continue;
        const result = ctx.normaliseMobile(user.mobilePhone, usageLocationOf(ctx.data, user));
        if ("problem" in result) ctx.error("mobile-phone", ["users", key, "mobilePhone"], `user '${key}': mobilePhone ${result.problem}`);
    }
};
