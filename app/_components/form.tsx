"use client";
import { useState } from "react";
import type {
  FieldError,
  FieldErrors,
  FieldValues,
  Merge,
  Path,
  UseFormRegisterReturn,
  UseFormSetError,
} from "react-hook-form";
import "@/server/validation/messages"; // the same plain-language reasons in the browser as on the server
import { fieldErrors } from "./trpc";

/**
 * The one bridge from a server refusal to a react-hook-form form. The server's field reasons (tRPC zod
 * errors and domain InvalidInputError, see server/trpc/init.ts) go under the form's own fields, where the
 * errors shown while typing appear. What names no field the form shows (a conflict, a refusal such as
 * "you cannot disable yourself", a rule on a hidden field) is returned for the banner, word for word.
 */
export function placeServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  /** A field that takes the reasons for paths the form has no input of (the report upload's one JSON box). */
  rest?: Path<T>,
): string | null {
  const byField = fieldErrors(error);
  const unplaced: string[] = [];
  const known = fields as readonly string[];
  for (const [field, reasons] of Object.entries(byField)) {
    // A path inside a field the form shows as one input (config.coefficients.x in a JSON box) goes under it.
    const owner = known.includes(field) ? field : known.find((f) => field.startsWith(`${f}.`));
    if (owner)
      setError(owner as Path<T>, {
        type: "server",
        message: owner === field ? reasons.join(" ") : `${field.slice(owner.length + 1)}: ${reasons.join(" ")}`,
      });
    else unplaced.push(`${field}: ${reasons.join(" ")}`);
  }
  if (Object.keys(byField).length === 0) return error instanceof Error ? error.message : "Something went wrong.";
  if (rest && unplaced.length) {
    setError(rest, { type: "server", message: unplaced.join("; ") });
    return null;
  }
  return unplaced.length ? unplaced.join("; ") : null;
}

/**
 * A form's server refusal: `onError` for a mutation, and the banner text (null when every reason sits under
 * its field). `reset` clears the banner when the person submits again.
 */
export function useServerRefusal<T extends FieldValues>(
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  rest?: Path<T>,
) {
  const [banner, setBanner] = useState<string | null>(null);
  return {
    banner,
    reset: () => setBanner(null),
    onError: (error: unknown) => setBanner(placeServerErrors(error, setError, fields, rest)),
  };
}

/** A refusal above the form; for screen readers too (role="alert"). */
export function FormBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

/**
 * A react-hook-form field error in the shape <Field error> takes. The schema may refuse a path inside a
 * field shown as one input (a number deep in a JSON box): those reasons come back with their path.
 */
export function reasons(error: FieldError | Merge<FieldError, FieldErrors> | object | undefined): string[] | undefined {
  const out: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== "object") return;
    const message = (node as { message?: unknown }).message;
    if (typeof message === "string" && message) out.push(path.length ? `${path.join(".")}: ${message}` : message);
    for (const [key, child] of Object.entries(node))
      if (!["message", "type", "ref", "types", "root"].includes(key)) walk(child, [...path, key]);
  };
  walk(error, []);
  return out.length ? out : undefined;
}

/**
 * A set of checkboxes bound to one array field (scopes, events, roles), with the field's reasons under
 * it. `registration` is `form.register("field")`: every box registers the same name, so the form's value
 * is the array of the checked values.
 */
export function CheckboxGroup({
  legend,
  options,
  registration,
  errors,
  name,
  label = (option) => option,
  mono = false,
  className,
}: {
  legend: string;
  options: readonly string[];
  registration: UseFormRegisterReturn;
  errors: string[] | undefined;
  /** The field's name in test ids (`error-<name>`). */
  name: string;
  label?: (option: string) => string;
  mono?: boolean;
  className?: string;
}) {
  return (
    <fieldset className={className}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-3">
        {options.map((option) => (
          <label key={option} className={`flex items-center gap-1 text-xs${mono ? "font-mono" : ""}`}>
            <input type="checkbox" value={option} {...registration} />
            {label(option)}
          </label>
        ))}
      </div>
      {errors?.map((m) => (
        <p key={m} className="text-xs text-red-700" data-testid={`error-${name}`}>
          {m}
        </p>
      ))}
    </fieldset>
  );
}
