import { svg } from 'lit';

/** Decorative icons (the buttons carry text names); 24×24, stroke = currentColor. */
const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;

export const micIcon = icon(svg`<rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 10a7 7 0 0 0 14 0M12 17v4M8 21h8"/>`);
export const micOffIcon = icon(
  svg`<path d="M2 2l20 20M9 9v1a3 3 0 0 0 5.1 2.1M15 9.3V5a3 3 0 0 0-5.7-1.3M19 10a7 7 0 0 1-1.1 3.8M5 10a7 7 0 0 0 11.2 5.6M12 17v4M8 21h8"/>`,
);
export const cameraIcon = icon(svg`<rect x="2" y="6" width="14" height="12" rx="2"/><path d="M16 10l6-3v10l-6-3z"/>`);
export const cameraOffIcon = icon(svg`<path d="M2 2l20 20M16 16v0a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h2M10 6h4a2 2 0 0 1 2 2v3.5l6-3.5v10"/>`);
export const leaveIcon = icon(svg`<path d="M3 15.5c5-4.7 13-4.7 18 0l-2.5 2.5-3-1.5v-2.6a10 10 0 0 0-7 0v2.6l-3 1.5z"/>`);
export const chatIcon = icon(svg`<path d="M21 12a8 8 0 0 1-11.6 7.1L3 21l1.9-6.4A8 8 0 1 1 21 12z"/>`);
export const screenShareIcon = icon(svg`<rect x="2" y="4" width="20" height="13" rx="2"/><path d="M8 21h8M12 17v4M12 14V8M9 11l3-3 3 3"/>`);
export const settingsIcon = icon(
  svg`<path d="M4 6h10M18 6h2M4 12h2M10 12h10M4 18h12"/><circle cx="16" cy="6" r="2"/><circle cx="8" cy="12" r="2"/><circle cx="18" cy="18" r="2"/>`,
);
export const pinIcon = icon(svg`<path d="M9 4h6M10 4v5l-3 4h10l-3-4V4M12 13v7"/>`);
export const peopleIcon = icon(svg`<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6.5 6.5 0 0 1 3.5 6"/>`);
export const speakingIcon = icon(svg`<path d="M4 10v4M8 7v10M12 4v16M16 7v10M20 10v4"/>`);
export const closeIcon = icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`);
