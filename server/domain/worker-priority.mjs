// Lowers the priority of the worker thread that imports it, to the nice value its pool passed as
// workerData.nice (RATCHET_WORKER_NICE). Plain JavaScript, imported by the pools' .mjs entries before
// anything else runs. On Linux the nice value belongs to a thread, and os.setPriority(0, …) called in a
// worker changes only the calling thread: the event loop that answers requests stays at its own value.
import { setPriority } from "node:os";
import { workerData } from "node:worker_threads";

const nice = workerData?.nice;
if (typeof nice === "number" && nice > 0) {
  try {
    setPriority(0, nice);
  } catch (error) {
    // Raising one's own nice value is always allowed on Linux; elsewhere, run at the normal priority.
    console.warn(
      `worker thread: could not set nice ${nice}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
