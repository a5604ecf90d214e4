/**
 * State in the core is held in nanostores atoms: `get()` for the current value, `subscribe()` that
 * calls back at once and returns its teardown — the shape elements bind to with StoreController.
 */
import { atom, type ReadableAtom, type WritableAtom } from 'nanostores';

export type ReadableStore<T> = ReadableAtom<T>;
export type WritableStore<T> = WritableAtom<T>;
export { atom as store };
