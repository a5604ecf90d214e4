/**
 * Every word rtc-widgets shows or says (labels, accessible names, tooltips, announcements,
 * placeholders, statuses, errors), in English. Other languages (src/i18n/locales/) are typed
 * `Strings`: a key missing there is a type error. Entries that take values are functions, so a
 * language can order the words and choose its plural forms. Numbers reach them as numbers.
 */
import type { MediaKind, RtcError, RtcErrorCode } from '../core/errors.js';
import type { Reaction } from '../core/reactions/wire.js';
import type { QualityLevel, QualityReason } from '../core/stats/quality.js';
import type { PrecallStatus } from '../core/precall/types.js';

/** "1 unread", "2 unread": English has two plural forms. */
const s = (n: number, one: string, other: string) => (n === 1 ? one : other);

export const en = {
  // Room: the views around the call
  noRoom: 'No room to join.',
  joining: 'Joining…',
  waitingForHost: 'Waiting for the host to let you in…',
  leave: 'Leave',
  callEnded: 'The call has ended.',
  joinAgain: 'Join again',
  youLeft: 'You left the call',
  rejoin: 'Rejoin',
  couldNotJoin: 'Could not join the call.',
  tryAgain: 'Try again',
  askedToMute: (name: string, kind: MediaKind) =>
    `${name} asked you to ${kind === 'audio' ? 'mute: your microphone is off' : 'turn your camera off: it is off'}.`,
  backInAudience: 'You are back in the audience: your camera and microphone are off.',
  onStage: 'You are on stage: everyone watching sees and hears you.',
  loadFailed: 'Could not load the call: check the connection and reload the page.',
  partLoadFailed: 'Part of the call could not be loaded: check the connection.',

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

  // Pre-join
  yourName: 'Your name',
  join: 'Join',
  joinAsViewer: 'Join as viewer',
  noCallToJoin: 'No call to join',
  you: 'You',
  microphoneLevel: 'Microphone level',
  liveStreamNote:
    'This is a live stream: you will watch it, without your camera or microphone. If nobody presents yet, you start it: then your camera and microphone are asked for.',
  viewerNote: 'You are joining as a viewer: you will see and hear the call, without your camera or microphone.',

  // Devices
  devices: 'Devices',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  noCamera: 'No camera found',
  noMicrophone: 'No microphone found',
  noSpeaker: 'No speaker found',
  switchedTo: (device: string) => `Switched to ${device}`,

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
  transferEnded: (file: string, outcome: 'sent' | 'received' | 'cancelled' | 'declined' | 'failed') => `${file}: ${outcome}.`,

  // Pre-call check
  checkYourSetup: 'Check your setup',
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

  /**
   * What the user reads about an error. English shows the core's own message (it names devices and
   * people); other languages say it by `code` (and `details.kind`: camera or microphone).
   */
  error: (e: RtcError): string => e.message,
};

/** A language's table: every key of the English one. */
export type Strings = typeof en;

/** Error texts by code, for languages other than English (`kind`: the camera's or the microphone's error, when it is one). */
export type ErrorTexts = Record<RtcErrorCode, string | ((kind: MediaKind | undefined) => string)>;

/** `error` for a language: the text of the error's code. */
export function errorsByCode(texts: ErrorTexts, fallback: string): (e: RtcError) => string {
  return (e) => {
    const text = texts[e.code] ?? fallback;
    return typeof text === 'function' ? text(e.details.kind) : text;
  };
}
