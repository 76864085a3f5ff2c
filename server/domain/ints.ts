import { z } from "zod";

/**
 * Integers that reach PostgreSQL `integer` columns. Unbounded, 3,000,000,000 passed validation and came
 * back as a 500 carrying the SQL error; bounded, it is a 400 naming the field.
 */
export const INT32_MAX = 2_147_483_647;

const tooBig = `must be at most ${INT32_MAX.toLocaleString("en")}`;

/** A version number, count or other integer column value from 1 up to the int32 limit. */
export const positiveInt32 = () => z.number().int().positive().max(INT32_MAX, tooBig);

/** An integer column value from 0 up to the int32 limit. */
export const nonNegativeInt32 = () => z.number().int().min(0).max(INT32_MAX, tooBig);

/** Query-string variant (`?page=3`): coerced from text, then bounded the same way. */
export const coercedPositiveInt32 = () => z.coerce.number().int().positive().max(INT32_MAX, tooBig);
