/**
 * The pre-call check: camera, microphone, speaker and network, each with a plain-language result,
 * and a verdict on the network (direct, through the TURN relay, TURN broken, blocked) with the
 * round trip and throughput measured through the relay. Framework-free; `<rtc-precall-check>`
 * shows it. Everything it opens (tracks, peer connections, the socket) is released before the
 * promise settles, also when it is aborted.
 */
import { checkCamera, checkMicrophone, checkSpeaker, type StepOutcome } from './media-checks.js';
import { checkNetwork } from './network-check.js';
import { Resources, abortReason, abortable } from './resources.js';
import type { PrecallCheckOptions, PrecallResult, PrecallStep, PrecallStepId } from './types.js';

const LABELS: Record<PrecallStepId, string> = { camera: 'Camera', microphone: 'Microphone', speaker: 'Speaker', network: 'Network' };

/** The result before anything ran: every step 'pending' (or 'skipped'). */
export function emptyPrecallResult(options: Pick<PrecallCheckOptions, 'camera' | 'microphone' | 'network'> = {}): PrecallResult {
  const skipped = { camera: options.camera === false, microphone: options.microphone === false, speaker: false, network: options.network === false };
  return {
    steps: (Object.keys(LABELS) as PrecallStepId[]).map((id) => ({
      id,
      label: LABELS[id],
      status: skipped[id] ? 'skipped' : 'pending',
      message: skipped[id] ? 'Not tested.' : 'Not tested yet.',
      code: skipped[id] ? 'not-tested' : 'not-tested-yet',
    })),
    camera: null,
    microphone: null,
    speaker: null,
    network: null,
    done: false,
    ok: false,
    durationMs: 0,
  };
}

const RUNNING: Record<PrecallStepId, string> = {
  camera: 'Opening the camera…',
  microphone: 'Listening to the microphone…',
  speaker: 'Looking for speakers…',
  network: 'Testing the connection to the call server and the relay…',
};

/** Run the check; resolves with the result (failures are results, not rejections), rejects only when aborted. */
export async function runPrecallCheck(options: PrecallCheckOptions = {}): Promise<PrecallResult> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortReason(signal);
  const started = performance.now();
  const result = emptyPrecallResult(options);
  const progress = () => {
    result.durationMs = Math.round(performance.now() - started);
    try {
      onProgress?.(structuredClone(result));
    } catch {
      // a listener's error must not break the check
    }
  };
  const step = (id: PrecallStepId): PrecallStep => result.steps.find((s) => s.id === id)!;
  const run = async <K extends PrecallStepId>(id: K, check: () => Promise<StepOutcome<NonNullable<PrecallResult[K]>>>) => {
    const s = step(id);
    if (s.status === 'skipped') return;
    s.status = 'running';
    s.message = RUNNING[id];
    s.code = 'running';
    delete s.params;
    progress();
    let outcome: StepOutcome<NonNullable<PrecallResult[K]>>;
    try {
      outcome = await check();
    } catch (err) {
      if (signal?.aborted) throw err;
      const detail = String((err as Error)?.message ?? err);
      outcome = {
        status: 'fail',
        code: 'unexpected',
        params: { detail },
        message: `The ${LABELS[id].toLowerCase()} test failed unexpectedly (${detail}).`,
        details: null,
      };
    }
    s.status = outcome.status;
    s.message = outcome.message;
    s.code = outcome.code;
    if (outcome.params) s.params = outcome.params;
    (result as unknown as Record<string, unknown>)[id] = outcome.details;
    progress();
  };

  const res = new Resources();
  const onAbort = () => res.release();
  signal?.addEventListener('abort', onAbort, { once: true });
  progress();
  try {
    // Devices one after the other (one permission prompt at a time), the network meanwhile.
    const media = (async () => {
      await run('camera', () => checkCamera(options.camera, res, signal));
      await run('microphone', () => checkMicrophone(options.microphone, res, signal));
      await run('speaker', () => checkSpeaker());
    })();
    const network = run('network', () => checkNetwork(options, res, signal));
    await abortable(Promise.all([media, network]), signal);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    res.release();
  }
  result.done = true;
  result.ok = result.steps.every((s) => s.status !== 'fail');
  progress();
  return result;
}
