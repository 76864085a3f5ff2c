import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-slate-600" data-testid="forbidden">
        Your roles do not allow this page. Ask an admin if you need access.
      </p>
      <p className="mt-4">
        <Link href="/models">Back to models</Link>
      </p>
    </main>
  );
}
