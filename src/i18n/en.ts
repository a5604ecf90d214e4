/**
 * The whole English table: the pre-join step's words (strings.ts, in the first script) and the
 * call's, which only the call's elements import (their chunks carry them).
 */
import type { MediaKind } from '../core/errors.js';
import type { Reaction } from '../core/reactions/wire.js';
import type { QualityLevel, QualityReason } from '../core/stats/quality.js';
import type { NetworkVerdict, PrecallCode, PrecallStatus, PrecallStepId, RelayErrorCode } from '../core/precall/types.js';
import { transferErrorText, type TransferError } from '../core/data/transfer-errors.js';
import { NO_RELAY_TEXT } from '../core/precall/ice.js';
import { enFirst, type Strings } from './strings.js';

/**
 * What `<rtc-precall-check>` hands a step's words: the step, and its figures already formatted in
 * the language (a number a language words itself, like a count, stays a number).
 */
export interface PrecallValues {
  step: PrecallStepId;
  /** 'camera-works': the picture's size ("1280×720"), when known. */
  size?: string;
  /** 'speakers-choose': how many speakers. */
  outputs: number;
  /** Relay figures, formatted ("12 ms", "8.4 Mbit/s"), when measured. */
  rtt?: string;
  rate?: string;
  /** 'direct': a relay (TURN) server is configured. */
  turn: boolean;
  /** 'turn-unreachable'. */
  relayError?: RelayErrorCode;
  directMayWork: boolean;
  /** 'device-error': what the user reads about the device's error, in the language. */
  error: string;
  /** 'unexpected': the thrown error's own message. */
  detail: string;
}
/** A step's result by its code: every code must be worded (a missing one is a type error). */
export type PrecallTexts = Record<PrecallCode, (v: PrecallValues) => string>;
/** The network verdict; 'turn-failed' is told apart: TURN refused the credentials, or carries no data. */
export type PrecallVerdictTexts = Record<NetworkVerdict | 'turn-refused' | 'turn-no-data', string>;

const PRECALL_RUNNING: Record<PrecallStepId, string> = {
  camera: 'Opening the camera…',
  microphone: 'Listening to the microphone…',
  speaker: 'Looking for speakers…',
  network: 'Testing the connection to the call server and the relay…',
};
const measured = (v: PrecallValues) => (v.rtt ? ` Through the relay: ${v.rtt} round trip${v.rate ? `, ${v.rate}` : ''}.` : '');
/** The English words of the pre-call check: the same as the core's `message` (a test keeps them so). */
const precallTexts: PrecallTexts = {
  'not-tested': () => 'Not tested.',
  'not-tested-yet': () => 'Not tested yet.',
  running: (v) => PRECALL_RUNNING[v.step],
  unexpected: (v) => `The ${v.step} test failed unexpectedly (${v.detail}).`,
  'no-media-devices': (v) => `This page cannot use a ${v.step === 'camera' ? 'camera' : 'microphone'} (it needs https:// or localhost).`,
  'device-error': (v) => v.error,
  'camera-no-frames': () => 'The camera opened but sends no picture. Close other apps that may use it, or choose another camera.',
  'camera-works': (v) => `Your camera works${v.size ? ` (${v.size})` : ''}.`,
  'microphone-silent': () =>
    'Your microphone opened but we heard nothing. Say something and test again; check that it is not muted (a switch on the headset?), or choose another microphone.',
  'microphone-works': () => 'Your microphone picks up sound.',
  'speakers-choose': (v) => `You can choose among ${v.outputs} speakers. Play a test sound to hear the one chosen.`,
  'speaker-works': () => 'Sound plays on your speaker. Play a test sound to hear it.',
  'speaker-default': () => "Sound plays on your system's default speaker (this browser cannot choose another). Play a test sound to hear it.",
  'server-unreachable': () => 'Could not reach the call server, so no call can start from here. Check your connection, or try again later.',
  'direct-and-relay': (v) => `Direct connections are possible, and the relay (TURN) server works for networks that block them.${measured(v)}`,
  'direct-local-only': () => 'Only devices on this network can be reached directly (no public address was found), and this call has no relay (TURN) server.',
  direct: (v) =>
    `Direct connections are possible.${v.turn ? '' : ' This call has no relay (TURN) server: people on strict networks may not be able to connect.'}`,
  'relay-only': (v) => `Calls go through the relay (TURN) server.${measured(v)}`,
  'relay-needed': (v) => `A direct connection is unlikely from this network, but the relay (TURN) server works.${measured(v)}`,
  'turn-refused': () =>
    'The relay (TURN) server refused our credentials: the call server and the relay do not share the same secret. Ask the site owner to check TURN_SECRET.',
  'turn-unreachable': (v) =>
    `The relay (TURN) server cannot be reached${v.relayError ? ` (${v.relayError === 'failed' ? 'the relayed connection failed' : 'the relayed connection did not open in time'})` : ''}.${v.directMayWork ? ' Direct connections may still work, but not from strict networks.' : ''}`,
  blocked: () => 'No connection is possible from this network: a firewall or proxy may block calls. Try another network.',
};

/** "1 change", "2 changes": English has two plural forms. */
const s = (n: number, one: string, other: string) => (n === 1 ? one : other);

export const callStrings = {
  // Call view: banner, notices, panels, control bar
  dismiss: 'Dismiss',
  chat: 'Chat',
  people: 'People',
  unreadCount: (n: number) => `${n} unread`,
  inCallCount: (n: number) => `${n} in the call`,
  unreadMessages: (n: number) => `${n} unread chat ${s(n, 'message', 'messages')}`,
  live: 'Live',
  watching: (n: number) => `${n} watching`,
  serverUnreachable: (othersHere: boolean) =>
    `Cannot reach the call server.${othersHere ? ' The call goes on with the people here, but nobody new can join.' : ''}`,
  reconnectingServer: 'Reconnecting to the server…',
  wantsToJoin: (name: string, more: number) => `${name} wants to join${more ? ` (and ${more} more)` : ''}`,
  admit: 'Admit',
  deny: 'Deny',
  ok: 'OK',
  more: 'More',
  callStatistics: 'Call statistics',
  close: 'Close',
  closePanel: (panel: string) => `Close ${panel}`,
  participantPages: 'Pages of participants',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pin: (name: string) => `Pin ${name}`,
  unpin: (name: string) => `Unpin ${name}`,

  // Screen-reader announcements of the call
  joined: (name: string) => `${name} joined`,
  left: (name: string) => `${name} left`,
  lostConnection: (name: string) => `${name} lost the connection`,
  startedSharing: (name: string) => `${name} is sharing their screen`,
  stoppedSharing: (name: string) => `${name} stopped sharing their screen`,
  reconnectingTo: (name: string) => `Connection to ${name} lost, reconnecting`,
  isBack: (name: string) => `${name} is back`,
  reacted: (name: string, reaction: string) => `${name} reacted ${reaction}`,
  raisedHand: (name: string) => `${name} raised their hand`,
  loweredHand: (name: string) => `${name} lowered their hand`,
  loweredYourHand: (name: string | undefined) => `${name || 'A host'} lowered your hand`,
  someone: 'Someone',

  // Recording
  recordCall: 'Record call',
  stopRecording: 'Stop recording',
  isRecording: (name: string) => `${name} is recording`,
  stoppedRecording: (name: string) => `${name} stopped recording`,
  othersRecording: (names: readonly string[]) =>
    names.length === 1 ? `${names[0]} is recording` : names.length === 2 ? `${names[0]} and ${names[1]} are recording` : `${names.length} people are recording`,
  recBadge: 'REC',
  record: 'Record',
  stop: 'Stop',
  whatToRecord: 'What to record',
  wholeCall: 'Whole call',
  downloadRecording: 'Download recording',
  discardRecording: 'Discard the recording',
  recordingDiscarded: 'Recording discarded',
  recordingStarted: 'Recording started',
  recordingReady: 'Recording stopped. The file is ready to download.',
  recordingFailed: (why: string) => `Recording stopped: ${why}`,
  cannotRecord: 'This browser cannot record',

  // Reactions and hands
  reactions: 'Reactions',
  react: 'React',
  raiseHand: 'Raise hand',
  raiseYourHand: 'Raise your hand',
  lowerYourHand: 'Lower your hand',
  reactionNames: { '👍': 'Thumbs up', '👏': 'Clapping', '❤️': 'Heart', '😂': 'Laughing', '😮': 'Surprised', '🎉': 'Celebrate' } as Record<Reaction, string>,
  handRaised: 'Hand raised',
  handRaisedAt: (position: number) => `Hand raised, number ${position} in the queue`,
  raisedHands: (n: number) => `Raised hands (${n})`,
  lower: 'Lower',
  lowerHandOf: (name: string) => `Lower ${name}’s hand`,

  // Controls
  callControls: 'Call controls',
  shareScreen: 'Share screen',
  notConnected: 'Not connected to a call',
  notInCall: 'Not in a call',
  viewersCannotSend: 'Viewers cannot send audio or video',
  deviceState: (kind: MediaKind, on: boolean) => `${kind === 'audio' ? 'Microphone' : 'Camera'} ${on ? 'on' : 'off'}`,
  screenSharingStarted: 'Screen sharing started',
  screenSharingStopped: 'Screen sharing stopped',

  // Tiles and people
  clickToPlay: 'Click to play',
  speakerFailed: 'The chosen speaker could not be used. The sound plays on the previous one.',
  recording: 'Recording',
  recordingTheCall: 'Recording the call',
  microphoneMuted: 'Microphone muted',
  cameraOff: 'Camera off',
  speaking: 'Speaking',
  sharingScreen: 'Sharing screen',
  screenOf: (name: string) => `${name}'s screen`,
  verify: 'Verify',
  verifyName: (name: string) => `Verify ${name}`,
  safetyCode: 'Safety code',
  safetyCodeWith: (name: string) => `Safety code with ${name}`,
  safetyCodeTitle: (name: string) => `The safety code to compare with ${name}`,
  computingSafetyCode: 'Computing the safety code…',
  computing: 'Computing…',
  noSafetyCode: (name: string) => `No safety code: not connected to ${name}.`,
  compareWords: (name: string) => `Compare these words with ${name}: if they match, nobody is listening in between.`,
  compareWith: (name: string) => `Compare with ${name}:`,
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  connectionLost: 'Connection lost',
  qualityLevels: { good: 'good', fair: 'fair', poor: 'poor', lost: 'lost' } as Record<QualityLevel, string>,
  qualityReasons: {
    disconnected: 'disconnected',
    'no media received': 'no media received',
    'high packet loss': 'high packet loss',
    'high round-trip time': 'high round-trip time',
    'high jitter': 'high jitter',
    'low frame rate': 'low frame rate',
  } as Record<QualityReason, string>,
  relayedThroughTurn: 'relayed through TURN',
  /** A peer cannot be reached: no direct path, and the call has no relay (the core's `problem`). */
  noRelayPath: NO_RELAY_TEXT,
  connectionQuality: (level: string, reasons: readonly string[]) => `Connection: ${level}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
  peopleCount: (n: number) => `(${n})`,
  youMark: '(you)',
  /** Between a name and what is said about it to screen readers ("Bob, Speaking"). */
  comma: ', ',
  nameYou: (name: string) => `${name} (you)`,
  host: 'Host',
  viewer: 'Viewer',
  waitingToJoin: (n: number) => `Waiting to join (${n})`,
  admitName: (name: string) => `Admit ${name}`,
  denyName: (name: string) => `Deny ${name}`,
  lobbySetting: 'Lobby: I let people in',
  lockRoom: 'Lock the room',
  mute: 'Mute',
  askToMute: (name: string) => `Mute ${name} (asks them)`,
  inviteOnStage: 'Invite on stage',
  inviteName: (name: string) => `Invite ${name} on stage`,
  toAudience: 'To audience',
  moveToAudience: (name: string) => `Move ${name} back to the audience`,
  remove: 'Remove',
  removeName: (name: string) => `Remove ${name} from the call`,
  endForEveryone: 'End call for everyone',

  // Chat and files
  chatMessages: 'Chat messages',
  noMessages: 'No messages yet.',
  notConnectedToCall: 'Not connected to a call.',
  message: 'Message',
  send: 'Send',
  attachFile: 'Attach file',
  sendFilesTo: 'Send files to',
  everyone: 'Everyone',
  dropFiles: 'Drop files to send them',
  fileTransfers: 'File transfers',
  earlierMessages: (name: string | undefined) => `Earlier messages, shared by ${name ?? 'someone who left'}`,
  toPeer: (name: string | undefined) => `to ${name ?? 'everyone'}`,
  fromPeer: (name: string) => `from ${name}`,
  timeLeft: (duration: string) => `${duration} left`,
  cancel: 'Cancel',
  cancelFile: (file: string) => `Cancel ${file}`,
  download: 'Download',
  dismissFile: (file: string) => `Dismiss ${file}`,
  accept: 'Accept',
  acceptFile: (file: string) => `Accept ${file}`,
  decline: 'Decline',
  declineFile: (file: string) => `Decline ${file}`,
  wantsToSendYou: 'Wants to send you this file',
  waitingToAccept: (name: string | undefined) => `Waiting for ${name ?? 'them'} to accept…`,
  offerNotice: (name: string, file: string, size: string) => `${name} wants to send you ${file} (${size}).`,
  transferStates: { done: 'Sent', cancelled: 'Cancelled', declined: 'Declined', failed: 'Failed' },
  /** Why a transfer failed, by its code (English: the core's `Transfer.error`). */
  transferError: (e: TransferError): string => transferErrorText(e),
  /** A chat message too long to send (the limit, in characters). */
  messageTooLong: (max: number) => `The message is longer than ${max} characters.`,
  participantGone: 'That participant is not in the call.',
  transferEnded: (file: string, outcome: 'sent' | 'received' | 'cancelled' | 'declined' | 'failed') => `${file}: ${outcome}.`,

  // Pre-call check
  checkYourSetup: 'Check your setup',
  network: 'Network',
  testing: 'Testing…',
  testAgain: 'Test again',
  testMySetup: 'Test my setup',
  playing: 'Playing…',
  playTestSound: 'Play a test sound',
  precallStatus: { pending: 'Not tested', running: 'Testing', pass: 'OK', warn: 'Check', fail: 'Problem', skipped: 'Skipped' } as Record<PrecallStatus, string>,
  precallIntro: 'Test your camera, microphone, speaker and connection before you join.',
  precallProgress: (step: string | undefined, done: number, total: number) => `Testing${step ? ` ${step.toLowerCase()}` : ''}… ${done} of ${total} done.`,
  precallFailed: 'Done: some things need attention (see below).',
  precallWarned: 'Done: you can join; see the notes below.',
  precallPassed: 'Done: everything works. You are ready to join.',
  verdict: 'Verdict',
  relayRoundTrip: 'Round trip via relay',
  relayThroughput: 'Throughput via relay',
  addressesFound: 'Addresses found',
  addresses: (local: number, pub: number, relay: number) => `${local} local, ${pub} public, ${relay} relay`,
  notMeasured: 'not measured',
  precallTexts,
  precallVerdicts: {
    direct: 'Direct connection possible',
    relay: 'Needs the TURN relay (works)',
    'turn-failed': 'TURN unreachable or wrong credentials',
    'turn-refused': 'TURN refused the credentials (wrong secret?)',
    'turn-no-data': 'TURN relay does not carry data',
    blocked: 'Blocked',
  } as PrecallVerdictTexts,
  /** A throughput, the number already formatted ("8.4"). */
  megabitsPerSecond: (mbit: string) => `${mbit} Mbit/s`,

  // Call statistics
  reportCopied: 'Report copied to the clipboard.',
  clipboardUnavailable: 'The clipboard is not available: select the report below and copy it.',
  copyReport: 'Copy report',
  callReport: 'Call report (JSON)',
  nobodyElse: 'Nobody else is in the call.',
  roomHealth: 'Room health',
  roomHealthMatrix: 'Room health matrix',
  healthCaption: 'How each person (row) receives each other person (column), and what they send',
  receiver: 'Receiver',
  sends: 'Sends',
  noReport: 'no report',
  limitedBy: (what: string) => `limited by ${what}`,
  connectionWith: (name: string) => `Connection with ${name}`,
  statLabels: {
    connection: 'Connection',
    ice: 'ICE',
    gathering: 'Gathering',
    signaling: 'Signaling',
    quality: 'Quality',
    path: 'Path',
    rtt: 'Round trip',
    loss: 'Packet loss',
    jitter: 'Jitter',
    in: 'Receiving',
    out: 'Sending',
    limit: 'Send limit',
  },
  measuring: 'measuring…',
  timeline: (n: number) => `Timeline (${n} ${s(n, 'change', 'changes')})`,
  loss: (percent: string) => `${percent} loss`,
};

export const en: Strings = { ...enFirst, ...callStrings };
