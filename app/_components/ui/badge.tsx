import { cva } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn";

const good = "bg-emerald-100 text-emerald-800";
const bad = "bg-red-100 text-red-800";
const waiting = "bg-amber-100 text-amber-900";
const neutral = "bg-slate-100 text-slate-700";

const variants = {
  default: "bg-indigo-50 text-indigo-800",
  // A requirement's verdict.
  met: good,
  missed: bad,
  notMeasured: neutral,
  // A version's stage.
  candidate: "bg-sky-100 text-sky-800",
  challenger: waiting,
  champion: good,
  retired: neutral,
  // A request's or a record's status.
  pending: waiting,
  approved: good,
  rejected: bad,
  active: good,
  revoked: bad,
  disabled: bad,
  warning: waiting,
  neutral,
} as const;

export type BadgeVariant = keyof typeof variants;

export const badgeVariants = cva(
  "inline-block h-fit shrink-0 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap",
  {
    variants: { variant: variants },
    defaultVariants: { variant: "default" },
  },
);

const isVariant = (name: string | undefined): name is BadgeVariant =>
  name !== undefined && Object.hasOwn(variants, name);

export type BadgeProps = ComponentProps<"span"> & {
  variant?: BadgeVariant;
  /** Older, untyped name for `variant` (a stage or status from the data): unknown names get the default colour. */
  tone?: string;
};

/** A small label. Without a variant, a child text that names a stage or status ("champion") picks its colour. */
export function Badge({ variant, tone, className, children, ...props }: BadgeProps) {
  const fromText = typeof children === "string" ? children : undefined;
  const chosen: BadgeVariant =
    variant ?? (isVariant(tone) ? tone : tone === undefined && isVariant(fromText) ? fromText : "default");
  return (
    <span className={cn(badgeVariants({ variant: chosen }), className)} {...props}>
      {children}
    </span>
  );
}
