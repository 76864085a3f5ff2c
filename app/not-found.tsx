import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">There is nothing here. It may have a different name.</p>
      <p className="mt-4">
        <Link href="/models">Back to models</Link>
      </p>
    </main>
  );
}
