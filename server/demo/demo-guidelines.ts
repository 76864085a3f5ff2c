import type { DomainContext } from "@/server/domain/context";
import { publishGuidelines } from "@/server/domain/guidelines/guidelines";
import type { Story } from "./story";

const CREDIT_V1 = `# Labeling credit-default predictions

A prediction says whether the applicant **defaulted** (missed three consecutive payments within 12 months
of the loan's start) or **repaid**.

## How to decide

1. Open the repayment history linked from the item.
2. Three missed payments in a row within the first 12 months → \`default\`.
3. Otherwise → \`repaid\`, including loans repaid early.

## When to skip

Skip (S) when the repayment history is missing or shorter than 12 months.
`;

const CREDIT_V2 = CREDIT_V1.replace(
  "## When to skip",
  `## Restructured loans

A loan restructured by agreement before the third missed payment counts as \`repaid\`; after it, as
\`default\`. Flag (F) the item when the restructuring date is unclear.

## When to skip`,
);

/** credit-default's labeling guidelines: a first version, then one that settles restructured loans. */
export function scheduleGuidelines(story: Story, asScientist: DomainContext): void {
  story.at(64, () =>
    publishGuidelines(asScientist, { model: "credit-default", markdown: CREDIT_V1, basedOnVersion: 0 }),
  );
  story.at(22, () =>
    publishGuidelines(asScientist, {
      model: "credit-default",
      markdown: CREDIT_V2,
      changeNote: "Restructured loans",
      basedOnVersion: 1,
    }),
  );
}
