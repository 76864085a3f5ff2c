"use client";
import type { VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";
import type { ComponentProps } from "react";
import { useHydrated } from "../use-hydrated";
import { buttonVariants } from "./button-variants";
import { cn } from "./cn";

export type ButtonProps = ComponentProps<"button"> &
  VariantProps<typeof buttonVariants> & {
    asChild?: boolean;
    /**
     * The button submits a plain HTML form (a GET filter form on a server page), which works before the
     * page's scripts run. Every other button is disabled until the page has hydrated: a click on a form
     * that React submits would otherwise make the browser submit it natively, as a GET with every field
     * in the URL (a password on the sign-in page, a whole report), and a click on an onClick button would
     * do nothing at all. A disabled default button also stops Enter from submitting the form.
     */
    worksWithoutScript?: boolean;
  };

/** A button; with `asChild` it styles its only child instead (a next/link Link, a Radix trigger). */
export function Button({
  variant,
  size,
  asChild = false,
  worksWithoutScript = false,
  className,
  disabled,
  ...props
}: ButtonProps) {
  const hydrated = useHydrated();
  const Component = asChild ? Slot.Root : "button";
  // A child (a link) works without scripts; its own attributes decide.
  const waiting = !asChild && !worksWithoutScript && !hydrated;
  return (
    <Component
      className={cn(buttonVariants({ variant, size }), className)}
      disabled={disabled || waiting || undefined}
      // What end-to-end journeys wait on before they type or click (e2e/fixtures.ts).
      data-hydrating={waiting ? "" : undefined}
      {...props}
    />
  );
}
