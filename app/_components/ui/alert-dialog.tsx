"use client";
import { AlertDialog as RadixAlertDialog } from "radix-ui";
import { useRef, type ReactNode } from "react";
import { Button, type ButtonProps } from "./button";

/**
 * Asks before an action that changes what runs in production. Radix traps focus inside, closes on Escape
 * (which cancels), and returns focus to the trigger. The action only runs from the confirm button.
 */
export function ConfirmDialog({
  trigger,
  title,
  children,
  confirmLabel,
  confirmVariant = "primary",
  onConfirm,
  open,
  onOpenChange,
}: {
  /** The button that opens it; without one, the dialog is opened by `open` (e.g. after a form validates). */
  trigger?: ReactNode;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonProps["variant"];
  onConfirm: () => void;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  // Opened without a trigger (after a form validates), Radix has nowhere to return focus on close:
  // remember what had focus when it opened, and go back there, so a keyboard user keeps their place.
  const returnTo = useRef<HTMLElement | null>(null);
  return (
    <RadixAlertDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <RadixAlertDialog.Trigger asChild>{trigger}</RadixAlertDialog.Trigger>}
      <RadixAlertDialog.Portal>
        <RadixAlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <RadixAlertDialog.Content
          data-testid="confirm-dialog"
          onOpenAutoFocus={() => {
            returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(event) => {
            if (trigger || !returnTo.current?.isConnected) return;
            event.preventDefault();
            returnTo.current.focus();
          }}
          className="fixed top-1/2 left-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 space-y-4 rounded-lg bg-white p-5 shadow-xl"
        >
          <RadixAlertDialog.Title className="text-lg font-semibold text-slate-900">{title}</RadixAlertDialog.Title>
          <RadixAlertDialog.Description asChild>
            <div className="space-y-2 text-sm text-slate-700">{children}</div>
          </RadixAlertDialog.Description>
          <div className="flex justify-end gap-2">
            <RadixAlertDialog.Cancel asChild>
              <Button variant="secondary">Cancel</Button>
            </RadixAlertDialog.Cancel>
            <RadixAlertDialog.Action asChild>
              <Button variant={confirmVariant} onClick={onConfirm}>
                {confirmLabel}
              </Button>
            </RadixAlertDialog.Action>
          </div>
        </RadixAlertDialog.Content>
      </RadixAlertDialog.Portal>
    </RadixAlertDialog.Root>
  );
}
