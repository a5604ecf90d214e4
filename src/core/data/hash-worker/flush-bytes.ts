/**
 * Received bytes gathered before they move into a Blob (which the browser keeps out of the JS
 * heap, even on disk); the file is one Blob of those at the end. Shared by the page and the worker.
 */
export const FLUSH_BYTES = 4 * 1024 * 1024;
