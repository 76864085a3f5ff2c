import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { RETURN_PATH_HEADER, signInUrl } from "@/server/http/return-path";

export default async function Unauthorized() {
  redirect(signInUrl((await headers()).get(RETURN_PATH_HEADER)));
}
