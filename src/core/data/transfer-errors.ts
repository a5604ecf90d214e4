/**
 * Why a file transfer ended without success, as a code with the values it names (an element words
 * it in its language), and the same in English (`Transfer.error`, for logs and API users).
 */

/**
 * Ours: 'you-declined', 'you-cancelled', 'you-left', 'interrupted' (the call dropped),
 * 'connection-lost' (to them; a new link is made), 'call-ended' (a host ended it or removed us:
 * `detail` is the session error's English message),
 * 'not-accepted' (we did not answer the offer in time). The other side (`name`): 'peer-left',
 * 'peer-cancelled', 'peer-withdrew', 'peer-declined', 'peer-expired' (did not accept in time),
 * 'peer-busy', 'peer-throttled', 'too-large' (for them), 'peer-damaged' (arrived damaged there),
 * 'peer-error' (could not receive it), 'too-many-from' (we are receiving too many from them).
 * What arrived: 'overrun' (more than announced), 'incomplete', 'no-hash', 'damaged', 'check-failed'.
 * Sending: 'send-failed' (`detail`: the error's own words), 'not-delivered' (`missed` of `total`).
 */
export type TransferErrorCode =
  | 'you-declined'
  | 'you-cancelled'
  | 'you-left'
  | 'interrupted'
  | 'connection-lost'
  | 'call-ended'
  | 'not-accepted'
  | 'peer-left'
  | 'peer-cancelled'
  | 'peer-withdrew'
  | 'peer-declined'
  | 'peer-expired'
  | 'peer-busy'
  | 'peer-throttled'
  | 'too-large'
  | 'peer-damaged'
  | 'peer-error'
  | 'too-many-from'
  | 'overrun'
  | 'incomplete'
  | 'no-hash'
  | 'damaged'
  | 'check-failed'
  | 'send-failed'
  | 'not-delivered';

export interface TransferError {
  code: TransferErrorCode;
  /** The other side's name (undefined: not known). */
  name?: string;
  /** 'not-delivered': receivers it missed, of how many. */
  missed?: number;
  total?: number;
  /** 'send-failed': the error's own message, when it had one; 'call-ended': the English why. */
  detail?: string;
}

/** The English words of a transfer error (the core's `Transfer.error`; the en strings table uses them too). */
export function transferErrorText(e: TransferError): string {
  const who = e.name ?? 'The receiver';
  switch (e.code) {
    case 'you-declined':
      return 'You declined it.';
    case 'you-cancelled':
      return 'You cancelled it.';
    case 'you-left':
      return 'You left the call.';
    case 'interrupted':
      return 'The call was interrupted.';
    case 'connection-lost':
      return 'The connection was lost.';
    case 'call-ended':
      return e.detail ?? 'The call has ended.';
    case 'not-accepted':
      return 'Not accepted in time.';
    case 'peer-left':
      return `${e.name ?? 'Guest'} left the call.`;
    case 'peer-cancelled':
      return `${who} cancelled it.`;
    case 'peer-withdrew':
      return `${who} withdrew the offer.`;
    case 'peer-declined':
      return `${who} declined it.`;
    case 'peer-expired':
      return `${who} did not accept it in time.`;
    case 'peer-busy':
      return `${who} is receiving too many files.`;
    case 'peer-throttled':
      return `${who} is getting too many offers; try again later.`;
    case 'too-large':
      return `The file is too large for ${who}.`;
    case 'peer-damaged':
      return `The file arrived damaged at ${who}.`;
    case 'peer-error':
      return `${who} could not receive it.`;
    case 'too-many-from':
      return `Too many files from ${e.name ?? 'Guest'} at once; ask again later.`;
    case 'overrun':
      return 'The sender sent more than it announced.';
    case 'incomplete':
      return 'The file arrived incomplete.';
    case 'no-hash':
      return 'The sender did not send the hash of the file.';
    case 'damaged':
      return 'The file arrived damaged (its checksum did not match).';
    case 'check-failed':
      return 'The file could not be checked.';
    case 'send-failed':
      return `Could not send the file${e.detail ? `: ${e.detail}` : '.'}`;
    case 'not-delivered':
      return `Not delivered to ${e.missed} of ${e.total}.`;
  }
}
