import { formatDistanceToNowStrict, format } from "date-fns";

export const ago = (d: Date | string | null | undefined) => (d ? `${formatDistanceToNowStrict(new Date(d))} ago` : "—");
export const when = (d: Date | string | null | undefined) => (d ? format(new Date(d), "yyyy-MM-dd HH:mm") : "—");
export const taskLabel = (t: string) => t.replaceAll("_", " ");
