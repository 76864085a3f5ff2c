"use client";
import { useState } from "react";
import { Button } from "./ui/button";

/**
 * Copies a value to the clipboard and says so. Where the clipboard is not available (a page served over
 * plain http on another host), it says that instead, and the value stays selectable beside it.
 */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <>
      <Button type="button" variant="secondary" size="sm" onClick={() => void copy()} data-testid="copy-button">
        {state === "copied" ? "Copied" : label}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied"
          ? "Copied to the clipboard"
          : state === "failed"
            ? "Could not copy: select the text and copy it yourself"
            : ""}
      </span>
      {state === "failed" && (
        <span className="text-xs text-red-800">Could not copy: select the key and copy it yourself.</span>
      )}
    </>
  );
}
