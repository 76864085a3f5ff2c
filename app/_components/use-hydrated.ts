"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False in the server's HTML and during hydration, true once React runs in the browser: for what only
 * works with React (a submit handled in JavaScript, an onClick). No hydration mismatch: React renders the
 * server snapshot while hydrating and the client one right after.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
