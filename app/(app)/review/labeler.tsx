"use client";
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { FormError, useTRPC, type RouterOutputs } from "../../_components/trpc";
import { Badge, Button, Card, Input } from "../../_components/ui";
import { FeatureList } from "./feature-list";
import { GuidelinesPanel } from "./guidelines-panel";

type Claim = NonNullable<RouterOutputs["feedback"]["next"]>;

/** The lease is renewed this often while the page holds an item (the lease itself lasts minutes). */
const RENEW_EVERY_MS = 60_000;

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * Labels one item at a time. Keys: 1–9 pick a label, Enter submits, S skips, F flags, N opens the note
 * (Enter in it submits, Escape leaves it), G shows or hides the guidelines. The next item is claimed while
 * this one is on screen (its model's guidelines fetched too), so submitting shows it at once; the page
 * renews the leases of both while it is open. Each label records the guidelines' version shown beside it.
 */
export function Labeler({ model }: { model?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<Claim | null | undefined>(undefined);
  const [ahead, setAhead] = useState<Claim | null | undefined>(undefined);
  const [label, setLabel] = useState<string>("");
  const [flagged, setFlagged] = useState(false);
  const [noteOpen, setNoteOpen] = useState(false);
  const [note, setNote] = useState("");
  const noteRef = useRef<HTMLInputElement>(null);
  const numberRef = useRef<HTMLInputElement>(null);

  const [guidelinesOpen, setGuidelinesOpen] = useState(true);

  const progress = useQuery(trpc.feedback.progress.queryOptions({ model }));
  const guidelines = useQuery(
    trpc.guidelines.version.queryOptions(current ? { model: current.item.model } : skipToken),
  );
  const claimNext = useMutation(trpc.feedback.next.mutationOptions());
  const submit = useMutation(trpc.feedback.submit.mutationOptions());
  const skip = useMutation(trpc.feedback.skip.mutationOptions());
  const renew = useMutation(trpc.feedback.renew.mutationOptions());

  const fetchAhead = useCallback(
    (holding: number[]) => {
      setAhead(undefined);
      claimNext.mutate({ model, exclude: holding }, { onSuccess: (c) => setAhead(c) });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mutate is stable; model is the only input
    [model],
  );

  // First item, then the one after it.
  useEffect(() => {
    claimNext.mutate(
      { model, exclude: [] },
      {
        onSuccess: (c) => {
          setCurrent(c);
          if (c) fetchAhead([c.item.id]);
          else setAhead(null);
        },
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per model
  }, [model]);

  // The next item's guidelines load with it, so they are on screen as soon as it is.
  useEffect(() => {
    if (ahead) void queryClient.prefetchQuery(trpc.guidelines.version.queryOptions({ model: ahead.item.model }));
  }, [ahead, queryClient, trpc]);

  // Keep the leases alive while the reviewer works.
  useEffect(() => {
    const timer = setInterval(() => {
      for (const c of [current, ahead]) if (c) renew.mutate({ itemId: c.item.id });
    }, RENEW_EVERY_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- renew.mutate is stable
  }, [current, ahead]);

  const advance = useCallback(() => {
    submit.reset();
    skip.reset();
    setLabel("");
    setFlagged(false);
    setNote("");
    setNoteOpen(false);
    void queryClient.invalidateQueries({ queryKey: trpc.feedback.progress.queryKey() });
    if (ahead === undefined) {
      // The next item was not back yet: ask again.
      setCurrent(undefined);
      claimNext.mutate(
        { model, exclude: [] },
        {
          onSuccess: (c) => {
            setCurrent(c);
            if (c) fetchAhead([c.item.id]);
          },
        },
      );
      return;
    }
    setCurrent(ahead);
    if (ahead) fetchAhead([ahead.item.id]);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mutate is stable
  }, [ahead, fetchAhead, model, queryClient, trpc]);

  const busy = submit.isPending || skip.isPending;

  const doSubmit = useCallback(() => {
    if (!current || busy || label === "") return;
    const value = current.item.task === "regression" ? Number(label) : label;
    submit.mutate(
      {
        itemId: current.item.id,
        label: value,
        note: note.trim() || undefined,
        flags: flagged ? ["flagged"] : undefined,
        // The version on screen beside this item; null when none was (none exist, or they had not loaded).
        guidelineVersion: guidelines.isSuccess ? (guidelines.data?.version ?? null) : null,
      },
      { onSuccess: advance },
    );
  }, [current, busy, label, note, flagged, submit, advance, guidelines.isSuccess, guidelines.data]);

  const doSkip = useCallback(() => {
    if (!current || busy) return;
    skip.mutate({ itemId: current.item.id }, { onSuccess: advance });
  }, [current, busy, skip, advance]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || !current) return;
      const target = e.target as HTMLElement | null;
      const typing = target?.tagName === "INPUT" || target?.tagName === "TEXTAREA";
      if (typing) {
        if (e.key === "Enter") {
          e.preventDefault();
          doSubmit();
        } else if (e.key === "Escape") target?.blur();
        return;
      }
      const classes = current.item.labels;
      if (/^[1-9]$/.test(e.key) && current.item.task !== "regression") {
        const picked = classes[Number(e.key) - 1];
        if (picked !== undefined) {
          e.preventDefault();
          setLabel(picked);
        }
      } else if (e.key === "Enter") {
        e.preventDefault();
        doSubmit();
      } else if (e.key === "s" || e.key === "S") {
        e.preventDefault();
        doSkip();
      } else if (e.key === "f" || e.key === "F") {
        e.preventDefault();
        setFlagged((f) => !f);
      } else if (e.key === "g" || e.key === "G") {
        e.preventDefault();
        setGuidelinesOpen((o) => !o);
      } else if (e.key === "n" || e.key === "N") {
        e.preventDefault();
        setNoteOpen(true);
        setTimeout(() => noteRef.current?.focus(), 0);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, doSubmit, doSkip]);

  // A regression item takes a typed number: focus the box so the keyboard alone is enough.
  useEffect(() => {
    if (current?.item.task === "regression") numberRef.current?.focus();
  }, [current]);

  const progressLine = progress.data && (
    <p className="text-sm text-slate-600" data-testid="review-progress">
      Labeled today: <strong>{progress.data.labeledToday}</strong> · in all: {progress.data.labeledTotal} · waiting for
      you: <strong>{progress.data.waiting}</strong>
    </p>
  );

  if (current === undefined)
    return (
      <p className="text-sm text-slate-500" role="status">
        Taking the next item…
      </p>
    );
  if (current === null)
    return (
      <div className="space-y-3">
        {progressLine}
        <Card>
          <p data-testid="queue-empty" className="text-sm">
            Nothing left to review{model ? ` for ${model}` : ""}. New items arrive as predictions are logged.
          </p>
        </Card>
      </div>
    );

  const { item } = current;
  return (
    <div className="space-y-4" data-testid="review-item" data-item-id={item.id}>
      {progressLine}
      <div className="flex flex-col gap-6 xl:flex-row xl:items-start">
        <div className="grid min-w-0 flex-1 gap-6 lg:grid-cols-[3fr_2fr]">
          <Card
            title={
              <>
                {item.model} v{item.version} · request <code className="text-xs">{item.externalId}</code>
              </>
            }
            actions={<Badge>{item.reason.replace("_", " ")}</Badge>}
          >
            <FeatureList features={item.features} />
            <p className="mt-3 text-xs text-slate-500">Predicted {new Date(item.predictedAt).toLocaleString()}</p>
          </Card>
          <div className="space-y-4">
            <Card title="Model's answer">
              {item.showModelAnswer ? (
                <div data-testid="model-answer" className="space-y-1 text-sm">
                  <p>
                    <strong className="text-lg">{String(item.prediction)}</strong>
                    {item.confidence !== null && (
                      <span className="ml-2 text-slate-600">confidence {percent(item.confidence)}</span>
                    )}
                  </p>
                  {item.disagreement && (
                    <p className="text-amber-800">
                      v{item.disagreement.version} answered <strong>{String(item.disagreement.prediction)}</strong>
                      {item.disagreement.confidence !== null && ` (${percent(item.disagreement.confidence)})`}
                    </p>
                  )}
                </div>
              ) : (
                <p data-testid="model-answer-hidden" className="text-sm text-slate-600">
                  Hidden for this item: judge from the features alone.
                </p>
              )}
            </Card>
            <Card title="Your label">
              <div className="space-y-3">
                {item.task === "regression" ? (
                  <label className="block text-sm">
                    Value
                    <Input
                      ref={numberRef}
                      type="number"
                      step="any"
                      value={label}
                      onChange={(e) => setLabel(e.target.value)}
                      aria-label="Value"
                    />
                  </label>
                ) : (
                  <div role="radiogroup" aria-label="Label" className="flex flex-wrap gap-2">
                    {item.labels.map((l, i) => (
                      <Button
                        key={l}
                        type="button"
                        role="radio"
                        aria-checked={label === l}
                        variant={label === l ? "primary" : "secondary"}
                        data-testid="label-button"
                        onClick={() => setLabel(l)}
                      >
                        <kbd className="rounded bg-black/10 px-1 text-xs">{i + 1}</kbd> {l}
                      </Button>
                    ))}
                  </div>
                )}
                {noteOpen && (
                  <label className="block text-sm">
                    Note
                    <Input ref={noteRef} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
                  </label>
                )}
                <div className="flex flex-wrap items-center gap-2">
                  <Button type="button" data-testid="submit-label" disabled={label === "" || busy} onClick={doSubmit}>
                    Submit <kbd className="rounded bg-white/20 px-1 text-xs">Enter</kbd>
                  </Button>
                  <Button type="button" variant="secondary" disabled={busy} onClick={doSkip}>
                    Skip <kbd className="rounded bg-black/10 px-1 text-xs">S</kbd>
                  </Button>
                  <Button
                    type="button"
                    variant={flagged ? "danger" : "secondary"}
                    aria-pressed={flagged}
                    onClick={() => setFlagged((f) => !f)}
                  >
                    {flagged ? "Flagged" : "Flag"} <kbd className="rounded bg-black/10 px-1 text-xs">F</kbd>
                  </Button>
                  {!noteOpen && (
                    <Button type="button" variant="ghost" onClick={() => setNoteOpen(true)}>
                      Note <kbd className="rounded bg-black/10 px-1 text-xs">N</kbd>
                    </Button>
                  )}
                </div>
                <FormError error={submit.error ?? skip.error ?? claimNext.error} />
                {(submit.error || skip.error) && (
                  // The lease passed on, or the item was already labeled: nothing was saved; move on.
                  <Button type="button" variant="secondary" onClick={advance}>
                    Take the next item
                  </Button>
                )}
                <p className="text-xs text-slate-500" data-testid="next-ready">
                  {ahead
                    ? "Next item loaded."
                    : ahead === null
                      ? "This is the last item for now."
                      : "Loading the next item…"}
                </p>
              </div>
            </Card>
          </div>
        </div>
        <GuidelinesPanel
          model={item.model}
          guidelines={guidelines.isSuccess ? guidelines.data : undefined}
          loading={guidelines.isPending}
          open={guidelinesOpen}
          onToggle={() => setGuidelinesOpen((o) => !o)}
        />
      </div>
    </div>
  );
}
