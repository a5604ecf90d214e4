/**
 * A steady tick that keeps going in a background tab. Timers of a hidden page run at most once a
 * second (and far less after a few minutes), and requestAnimationFrame not at all, which would
 * freeze a recording of the call whenever the user switches tabs; a worker's timers are not
 * throttled like that. Where no worker can start (a CSP without `blob:` workers), setInterval.
 */
const WORKER_SOURCE = `let t;onmessage=(e)=>{clearInterval(t);if(e.data>0)t=setInterval(()=>postMessage(0),e.data)}`;

export interface Ticker {
  stop(): void;
}

/** Call `tick` every `ms` until stop(). */
export function startTicker(ms: number, tick: () => void): Ticker {
  const worker = workerTicker(ms, tick);
  if (worker) return worker;
  const timer = setInterval(tick, ms);
  return { stop: () => clearInterval(timer) };
}

function workerTicker(ms: number, tick: () => void): Ticker | null {
  if (typeof Worker !== 'function' || typeof URL?.createObjectURL !== 'function') return null;
  let url: string | undefined;
  let worker: Worker;
  try {
    url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    worker = new Worker(url, { name: 'rtc-widgets recording clock' });
  } catch {
    if (url) URL.revokeObjectURL(url);
    return null;
  }
  // The worker holds its own copy of the script once started: the URL is not needed after that.
  const revoke = () => url && (URL.revokeObjectURL(url), (url = undefined));
  let fallback: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  worker.onmessage = () => {
    revoke();
    if (!stopped) tick();
  };
  // A worker that fails to load (CSP) says so with an error event: go on with a plain timer.
  worker.onerror = (e) => {
    e.preventDefault?.();
    revoke();
    worker.terminate();
    if (!stopped && fallback === undefined) fallback = setInterval(tick, ms);
  };
  worker.postMessage(ms);
  return {
    stop() {
      stopped = true;
      revoke();
      worker.terminate();
      clearInterval(fallback);
    },
  };
}
