import bcrypt from "bcryptjs";

// Cost 10 keeps sign-in around 60 ms on these machines while staying above OWASP's minimum for bcrypt.
const COST = 10;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);
