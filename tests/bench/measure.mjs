// The bench scripts' shared timer (scan.mjs, scan-compare.mjs).

// Milliseconds per run: the median of timed batches, after a warm-up of a
// third of the budget (V8 first runs wasm and JS in baseline tiers and
// optimises hot functions in the background; a cold 10 KB run measured that,
// not the scanner). A batch repeats the run until it lasts at least 2 ms,
// so small inputs are not measured at the timer's resolution.
export function measure(fn, text, budgetMs) {
  const warmUntil = performance.now() + budgetMs / 3;
  let warm = 0;
  let once = Infinity;
  do {
    const t0 = performance.now();
    fn(text);
    once = Math.min(once, performance.now() - t0);
    warm++;
  } while (performance.now() < warmUntil || warm < 2);
  const batch = Math.max(1, Math.ceil(2 / Math.max(once, 1e-3)));
  const times = [];
  const until = performance.now() + (budgetMs * 2) / 3;
  do {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn(text);
    times.push((performance.now() - t0) / batch);
  } while (performance.now() < until && times.length < 50);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
