/** German. Loaded the first time an element's language is `de`. */
import type { MediaKind } from '../../core/errors.js';
import { errorsByCode, type Strings } from '../strings.js';
import type { PrecallValues } from '../en.js';

const n = (x: number) => x.toLocaleString('de');
const s = (x: number, one: string, other: string) => (x === 1 ? one : other);
const the = (k: MediaKind | undefined) => (k === 'audio' ? 'das Mikrofon' : 'die Kamera');
const cap = (t: string) => t[0]!.toUpperCase() + t.slice(1);
const deMeasured = (v: PrecallValues) => (v.rtt ? ` Über das Relay: ${v.rtt} Umlaufzeit${v.rate ? `, ${v.rate}` : ''}.` : '');

export const de: Strings = {
  noRoom: 'Kein Raum zum Beitreten.',
  joining: 'Beitreten…',
  waitingForHost: 'Warten, bis der Host dich hereinlässt…',
  leave: 'Verlassen',
  callEnded: 'Der Anruf ist beendet.',
  joinAgain: 'Erneut beitreten',
  youLeft: 'Du hast den Anruf verlassen',
  rejoin: 'Wieder beitreten',
  couldNotJoin: 'Beitritt zum Anruf fehlgeschlagen.',
  tryAgain: 'Erneut versuchen',
  askedToMute: (name, kind) =>
    kind === 'audio'
      ? `${name} hat dich gebeten, dich stummzuschalten: Dein Mikrofon ist aus.`
      : `${name} hat dich gebeten, deine Kamera auszuschalten: Sie ist aus.`,
  backInAudience: 'Du bist wieder im Publikum: Kamera und Mikrofon sind aus.',
  onStage: 'Du bist auf der Bühne: Alle Zuschauer sehen und hören dich.',
  loadFailed: 'Der Anruf konnte nicht geladen werden: Prüfe die Verbindung und lade die Seite neu.',
  partLoadFailed: 'Ein Teil des Anrufs konnte nicht geladen werden: Prüfe die Verbindung.',

  dismiss: 'Schließen',
  chat: 'Chat',
  people: 'Personen',
  unreadCount: (x) => `${n(x)} ungelesen`,
  inCallCount: (x) => `${n(x)} im Anruf`,
  unreadMessages: (x) => `${n(x)} ungelesene ${s(x, 'Chatnachricht', 'Chatnachrichten')}`,
  live: 'Live',
  watching: (x) => `${n(x)} ${s(x, 'Zuschauer', 'Zuschauende')}`,
  serverUnreachable: (othersHere) =>
    `Der Anrufserver ist nicht erreichbar.${othersHere ? ' Der Anruf läuft mit den Anwesenden weiter, aber niemand Neues kann beitreten.' : ''}`,
  reconnectingServer: 'Verbindung zum Server wird wiederhergestellt…',
  wantsToJoin: (name, more) => `${name} möchte beitreten${more ? ` (und ${n(more)} weitere)` : ''}`,
  admit: 'Einlassen',
  deny: 'Ablehnen',
  ok: 'OK',
  more: 'Mehr',
  callStatistics: 'Anrufstatistik',
  close: 'Schließen',
  closePanel: (panel) => `${panel} schließen`,
  participantPages: 'Seiten der Teilnehmenden',
  previousPage: 'Vorherige Seite',
  nextPage: 'Nächste Seite',
  pin: (name) => `${name} anheften`,
  unpin: (name) => `${name} lösen`,

  joined: (name) => `${name} ist beigetreten`,
  left: (name) => `${name} hat den Anruf verlassen`,
  lostConnection: (name) => `${name} hat die Verbindung verloren`,
  startedSharing: (name) => `${name} teilt den Bildschirm`,
  stoppedSharing: (name) => `${name} teilt den Bildschirm nicht mehr`,
  reconnectingTo: (name) => `Verbindung zu ${name} unterbrochen, wird wiederhergestellt`,
  isBack: (name) => `${name} ist wieder da`,
  reacted: (name, reaction) => `${name} hat mit ${reaction} reagiert`,
  raisedHand: (name) => `${name} hat die Hand gehoben`,
  loweredHand: (name) => `${name} hat die Hand gesenkt`,
  loweredYourHand: (name) => `${name || 'Ein Host'} hat deine Hand gesenkt`,
  someone: 'Jemand',

  recordCall: 'Anruf aufnehmen',
  stopRecording: 'Aufnahme beenden',
  isRecording: (name) => `${name} nimmt auf`,
  stoppedRecording: (name) => `${name} hat die Aufnahme beendet`,
  othersRecording: (names) =>
    names.length === 1 ? `${names[0]} nimmt auf` : names.length === 2 ? `${names[0]} und ${names[1]} nehmen auf` : `${n(names.length)} Personen nehmen auf`,
  recBadge: 'AUFN.',
  record: 'Aufnehmen',
  stop: 'Stopp',
  whatToRecord: 'Was aufnehmen',
  wholeCall: 'Ganzer Anruf',
  downloadRecording: 'Aufnahme herunterladen',
  discardRecording: 'Aufnahme verwerfen',
  recordingDiscarded: 'Aufnahme verworfen',
  recordingStarted: 'Aufnahme gestartet',
  recordingReady: 'Aufnahme beendet. Die Datei kann heruntergeladen werden.',
  recordingFailed: (why) => `Aufnahme abgebrochen: ${why}`,
  cannotRecord: 'Dieser Browser kann nicht aufnehmen',

  reactions: 'Reaktionen',
  react: 'Reagieren',
  raiseHand: 'Hand heben',
  raiseYourHand: 'Hand heben',
  lowerYourHand: 'Hand senken',
  reactionNames: { '👍': 'Daumen hoch', '👏': 'Applaus', '❤️': 'Herz', '😂': 'Lachen', '😮': 'Überrascht', '🎉': 'Feiern' },
  handRaised: 'Hand gehoben',
  handRaisedAt: (position) => `Hand gehoben, Nummer ${n(position)} in der Reihe`,
  raisedHands: (x) => `Gehobene Hände (${n(x)})`,
  lower: 'Senken',
  lowerHandOf: (name) => `Hand von ${name} senken`,

  yourName: 'Dein Name',
  join: 'Beitreten',
  joinAsViewer: 'Als Zuschauer beitreten',
  noCallToJoin: 'Kein Anruf zum Beitreten',
  you: 'Du',
  microphoneLevel: 'Mikrofonpegel',
  liveStreamNote:
    'Dies ist ein Livestream: Du schaust zu, ohne Kamera und Mikrofon. Präsentiert noch niemand, startest du ihn: Dann werden Kamera und Mikrofon angefragt.',
  viewerNote: 'Du trittst als Zuschauer bei: Du siehst und hörst den Anruf, ohne Kamera und Mikrofon.',

  devices: 'Geräte',
  camera: 'Kamera',
  microphone: 'Mikrofon',
  speaker: 'Lautsprecher',
  noCamera: 'Keine Kamera gefunden',
  noMicrophone: 'Kein Mikrofon gefunden',
  noSpeaker: 'Kein Lautsprecher gefunden',
  switchedTo: (device) => `Gewechselt zu ${device}`,

  callControls: 'Anrufsteuerung',
  shareScreen: 'Bildschirm teilen',
  notConnected: 'Mit keinem Anruf verbunden',
  notInCall: 'Nicht in einem Anruf',
  viewersCannotSend: 'Zuschauer können weder Ton noch Bild senden',
  deviceState: (kind, on) => `${kind === 'audio' ? 'Mikrofon' : 'Kamera'} ${on ? 'an' : 'aus'}`,
  screenSharingStarted: 'Bildschirmfreigabe gestartet',
  screenSharingStopped: 'Bildschirmfreigabe beendet',

  clickToPlay: 'Zum Abspielen klicken',
  speakerFailed: 'Der gewählte Lautsprecher konnte nicht verwendet werden. Der Ton läuft weiter über den vorherigen.',
  recording: 'Aufnahme',
  recordingTheCall: 'Nimmt den Anruf auf',
  microphoneMuted: 'Mikrofon stummgeschaltet',
  cameraOff: 'Kamera aus',
  speaking: 'Spricht',
  sharingScreen: 'Teilt den Bildschirm',
  screenOf: (name) => `Bildschirm von ${name}`,
  verify: 'Prüfen',
  verifyName: (name) => `${name} prüfen`,
  safetyCode: 'Sicherheitscode',
  safetyCodeWith: (name) => `Sicherheitscode mit ${name}`,
  safetyCodeTitle: (name) => `Der Sicherheitscode zum Vergleich mit ${name}`,
  computingSafetyCode: 'Sicherheitscode wird berechnet…',
  computing: 'Wird berechnet…',
  noSafetyCode: (name) => `Kein Sicherheitscode: nicht mit ${name} verbunden.`,
  compareWords: (name) => `Vergleiche diese Wörter mit ${name}: Stimmen sie überein, hört niemand dazwischen mit.`,
  compareWith: (name) => `Mit ${name} vergleichen:`,
  connecting: 'Verbinden…',
  reconnecting: 'Neu verbinden…',
  connectionLost: 'Verbindung verloren',
  qualityLevels: { good: 'gut', fair: 'mittel', poor: 'schlecht', lost: 'verloren' },
  qualityReasons: {
    disconnected: 'getrennt',
    'no media received': 'keine Medien empfangen',
    'high packet loss': 'hoher Paketverlust',
    'high round-trip time': 'hohe Umlaufzeit',
    'high jitter': 'hoher Jitter',
    'low frame rate': 'niedrige Bildrate',
  },
  relayedThroughTurn: 'über TURN weitergeleitet',
  noRelayPath: 'Keine direkte Verbindung möglich; dieser Anruf hat keinen Relay-Server (TURN)',
  connectionQuality: (level, reasons) => `Verbindung: ${level}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
  peopleCount: (x) => `(${n(x)})`,
  youMark: '(du)',
  comma: ', ',
  nameYou: (name) => `${name} (du)`,
  host: 'Host',
  viewer: 'Zuschauer',
  waitingToJoin: (x) => `Warten auf Einlass (${n(x)})`,
  admitName: (name) => `${name} einlassen`,
  denyName: (name) => `${name} ablehnen`,
  lobbySetting: 'Warteraum: Ich lasse Leute herein',
  lockRoom: 'Raum sperren',
  mute: 'Stumm',
  askToMute: (name) => `${name} stummschalten (fragt nach)`,
  inviteOnStage: 'Auf die Bühne holen',
  inviteName: (name) => `${name} auf die Bühne holen`,
  toAudience: 'Ins Publikum',
  moveToAudience: (name) => `${name} zurück ins Publikum schicken`,
  remove: 'Entfernen',
  removeName: (name) => `${name} aus dem Anruf entfernen`,
  endForEveryone: 'Anruf für alle beenden',

  chatMessages: 'Chatnachrichten',
  noMessages: 'Noch keine Nachrichten.',
  notConnectedToCall: 'Mit keinem Anruf verbunden.',
  message: 'Nachricht',
  send: 'Senden',
  attachFile: 'Datei anhängen',
  sendFilesTo: 'Dateien senden an',
  everyone: 'Alle',
  dropFiles: 'Dateien hier ablegen, um sie zu senden',
  fileTransfers: 'Dateiübertragungen',
  earlierMessages: (name) => `Frühere Nachrichten, geteilt von ${name ?? 'jemandem, der gegangen ist'}`,
  toPeer: (name) => `an ${name ?? 'alle'}`,
  fromPeer: (name) => `von ${name}`,
  timeLeft: (duration) => `noch ${duration}`,
  cancel: 'Abbrechen',
  cancelFile: (file) => `${file} abbrechen`,
  download: 'Herunterladen',
  dismissFile: (file) => `${file} ausblenden`,
  accept: 'Annehmen',
  acceptFile: (file) => `${file} annehmen`,
  decline: 'Ablehnen',
  declineFile: (file) => `${file} ablehnen`,
  wantsToSendYou: 'Möchte dir diese Datei senden',
  waitingToAccept: (name) => `Warten, bis ${name ?? 'sie'} annehmen…`,
  offerNotice: (name, file, size) => `${name} möchte dir ${file} senden (${size}).`,
  transferStates: { done: 'Gesendet', cancelled: 'Abgebrochen', declined: 'Abgelehnt', failed: 'Fehlgeschlagen' },
  transferError: (e) => {
    const who = e.name ?? 'Die empfangende Person';
    const guest = e.name ?? 'Gast';
    switch (e.code) {
      case 'you-declined':
        return 'Du hast sie abgelehnt.';
      case 'you-cancelled':
        return 'Du hast sie abgebrochen.';
      case 'you-left':
        return 'Du hast den Anruf verlassen.';
      case 'interrupted':
        return 'Der Anruf wurde unterbrochen.';
      case 'connection-lost':
        return 'Die Verbindung ist abgebrochen.';
      case 'call-ended':
        return 'Der Anruf ist beendet.';
      case 'not-accepted':
        return 'Nicht rechtzeitig angenommen.';
      case 'peer-left':
        return `${guest} hat den Anruf verlassen.`;
      case 'peer-cancelled':
        return `${who} hat sie abgebrochen.`;
      case 'peer-withdrew':
        return `${who} hat das Angebot zurückgezogen.`;
      case 'peer-declined':
        return `${who} hat sie abgelehnt.`;
      case 'peer-expired':
        return `${who} hat sie nicht rechtzeitig angenommen.`;
      case 'peer-busy':
        return `${who} empfängt gerade zu viele Dateien.`;
      case 'peer-throttled':
        return `${who} bekommt zu viele Angebote; versuche es später erneut.`;
      case 'too-large':
        return `Die Datei ist zu groß für ${who}.`;
      case 'peer-damaged':
        return `Die Datei kam bei ${who} beschädigt an.`;
      case 'peer-error':
        return `${who} konnte sie nicht empfangen.`;
      case 'too-many-from':
        return `Zu viele Dateien von ${guest} auf einmal; bitte später erneut.`;
      case 'overrun':
        return 'Der Absender hat mehr gesendet als angekündigt.';
      case 'incomplete':
        return 'Die Datei kam unvollständig an.';
      case 'no-hash':
        return 'Der Absender hat die Prüfsumme der Datei nicht gesendet.';
      case 'damaged':
        return 'Die Datei kam beschädigt an (ihre Prüfsumme stimmte nicht).';
      case 'check-failed':
        return 'Die Datei konnte nicht geprüft werden.';
      case 'send-failed':
        return `Die Datei konnte nicht gesendet werden${e.detail ? `: ${e.detail}` : '.'}`;
      case 'not-delivered':
        return `Nicht zugestellt an ${n(e.missed ?? 0)} von ${n(e.total ?? 0)}.`;
    }
  },
  messageTooLong: (max) => `Die Nachricht ist länger als ${n(max)} Zeichen.`,
  participantGone: 'Diese Person ist nicht im Anruf.',
  transferEnded: (file, outcome) =>
    `${file}: ${{ sent: 'gesendet', received: 'empfangen', cancelled: 'abgebrochen', declined: 'abgelehnt', failed: 'fehlgeschlagen' }[outcome]}.`,

  checkYourSetup: 'Einrichtung prüfen',
  network: 'Netzwerk',
  testing: 'Wird getestet…',
  testAgain: 'Erneut testen',
  testMySetup: 'Einrichtung testen',
  playing: 'Wird abgespielt…',
  playTestSound: 'Testton abspielen',
  precallStatus: { pending: 'Nicht getestet', running: 'Wird getestet', pass: 'OK', warn: 'Prüfen', fail: 'Problem', skipped: 'Übersprungen' },
  precallIntro: 'Teste Kamera, Mikrofon, Lautsprecher und Verbindung, bevor du beitrittst.',
  precallProgress: (step, done, total) => `Test läuft${step ? ` (${step})` : ''}… ${n(done)} von ${n(total)} erledigt.`,
  precallFailed: 'Fertig: Einiges braucht Aufmerksamkeit (siehe unten).',
  precallWarned: 'Fertig: Du kannst beitreten; siehe die Hinweise unten.',
  precallPassed: 'Fertig: Alles funktioniert. Du kannst beitreten.',
  verdict: 'Ergebnis',
  relayRoundTrip: 'Umlaufzeit über Relay',
  relayThroughput: 'Durchsatz über Relay',
  addressesFound: 'Gefundene Adressen',
  addresses: (local, pub, relay) => `${n(local)} lokal, ${n(pub)} öffentlich, ${n(relay)} Relay`,
  notMeasured: 'nicht gemessen',
  precallTexts: {
    'not-tested': () => 'Nicht getestet.',
    'not-tested-yet': () => 'Noch nicht getestet.',
    running: (v) =>
      ({
        camera: 'Kamera wird geöffnet…',
        microphone: 'Mikrofon wird abgehört…',
        speaker: 'Lautsprecher werden gesucht…',
        network: 'Verbindung zum Anrufserver und zum Relay wird getestet…',
      })[v.step],
    unexpected: (v) =>
      `Der Test (${{ camera: 'Kamera', microphone: 'Mikrofon', speaker: 'Lautsprecher', network: 'Netzwerk' }[v.step]}) ist unerwartet fehlgeschlagen (${v.detail}).`,
    'no-media-devices': (v) => `Diese Seite kann ${v.step === 'camera' ? 'keine Kamera' : 'kein Mikrofon'} verwenden (sie braucht https:// oder localhost).`,
    'device-error': (v) => v.error,
    'camera-no-frames': () => 'Die Kamera ist offen, liefert aber kein Bild. Schließe andere Apps, die sie nutzen könnten, oder wähle eine andere Kamera.',
    'camera-works': (v) => `Deine Kamera funktioniert${v.size ? ` (${v.size})` : ''}.`,
    'microphone-silent': () =>
      'Dein Mikrofon ist offen, aber wir hören nichts. Sag etwas und teste erneut; prüfe, ob es stummgeschaltet ist (ein Schalter am Headset?), oder wähle ein anderes Mikrofon.',
    'microphone-works': () => 'Dein Mikrofon nimmt Ton auf.',
    'speakers-choose': (v) => `Du kannst zwischen ${n(v.outputs)} Lautsprechern wählen. Spiele einen Testton ab, um den gewählten zu hören.`,
    'speaker-works': () => 'Der Ton kommt aus deinem Lautsprecher. Spiele einen Testton ab, um ihn zu hören.',
    'speaker-default': () =>
      'Der Ton kommt aus dem Standardlautsprecher des Systems (dieser Browser kann keinen anderen wählen). Spiele einen Testton ab, um ihn zu hören.',
    'server-unreachable': () =>
      'Der Anrufserver ist nicht erreichbar, daher kann von hier kein Anruf starten. Prüfe deine Verbindung oder versuche es später erneut.',
    'direct-and-relay': (v) => `Direkte Verbindungen sind möglich, und der Relay-Server (TURN) funktioniert für Netzwerke, die sie blockieren.${deMeasured(v)}`,
    'direct-local-only': () =>
      'Direkt erreichbar sind nur Geräte in diesem Netzwerk (keine öffentliche Adresse gefunden), und dieser Anruf hat keinen Relay-Server (TURN).',
    direct: (v) =>
      `Direkte Verbindungen sind möglich.${v.turn ? '' : ' Dieser Anruf hat keinen Relay-Server (TURN): Wer in strengen Netzwerken ist, kann sich eventuell nicht verbinden.'}`,
    'relay-only': (v) => `Anrufe laufen über den Relay-Server (TURN).${deMeasured(v)}`,
    'relay-needed': (v) => `Eine direkte Verbindung ist aus diesem Netzwerk unwahrscheinlich, aber der Relay-Server (TURN) funktioniert.${deMeasured(v)}`,
    'turn-refused': () =>
      'Der Relay-Server (TURN) hat unsere Zugangsdaten abgelehnt: Anrufserver und Relay nutzen nicht dasselbe Geheimnis. Bitte die Betreiber der Seite, TURN_SECRET zu prüfen.',
    'turn-unreachable': (v) =>
      `Der Relay-Server (TURN) ist nicht erreichbar${v.relayError ? ` (${v.relayError === 'failed' ? 'die Verbindung über das Relay ist fehlgeschlagen' : 'die Verbindung über das Relay kam nicht rechtzeitig zustande'})` : ''}.${v.directMayWork ? ' Direkte Verbindungen können trotzdem klappen, aber nicht aus strengen Netzwerken.' : ''}`,
    blocked: () => 'Aus diesem Netzwerk ist keine Verbindung möglich: Eine Firewall oder ein Proxy blockiert vielleicht Anrufe. Versuche ein anderes Netzwerk.',
  },
  precallVerdicts: {
    direct: 'Direkte Verbindung möglich',
    relay: 'Braucht das TURN-Relay (funktioniert)',
    'turn-failed': 'TURN nicht erreichbar oder falsche Zugangsdaten',
    'turn-refused': 'TURN lehnt die Zugangsdaten ab (falsches Geheimnis?)',
    'turn-no-data': 'TURN-Relay überträgt keine Daten',
    blocked: 'Blockiert',
  },
  megabitsPerSecond: (mbit) => `${mbit} Mbit/s`,

  reportCopied: 'Bericht in die Zwischenablage kopiert.',
  clipboardUnavailable: 'Die Zwischenablage ist nicht verfügbar: Markiere den Bericht unten und kopiere ihn.',
  copyReport: 'Bericht kopieren',
  callReport: 'Anrufbericht (JSON)',
  nobodyElse: 'Sonst ist niemand im Anruf.',
  roomHealth: 'Zustand des Raums',
  roomHealthMatrix: 'Zustandsmatrix des Raums',
  healthCaption: 'Wie jede Person (Zeile) jede andere Person (Spalte) empfängt, und was sie sendet',
  receiver: 'Empfänger',
  sends: 'Sendet',
  noReport: 'kein Bericht',
  limitedBy: (what) => `begrenzt durch ${what}`,
  connectionWith: (name) => `Verbindung mit ${name}`,
  statLabels: {
    connection: 'Verbindung',
    ice: 'ICE',
    gathering: 'Sammeln',
    signaling: 'Signalisierung',
    quality: 'Qualität',
    path: 'Pfad',
    rtt: 'Umlaufzeit',
    loss: 'Paketverlust',
    jitter: 'Jitter',
    in: 'Empfang',
    out: 'Senden',
    limit: 'Sendegrenze',
  },
  measuring: 'wird gemessen…',
  timeline: (x) => `Verlauf (${n(x)} ${s(x, 'Änderung', 'Änderungen')})`,
  loss: (percent) => `${percent} Verlust`,

  error: errorsByCode(
    {
      'permission-denied': (k) =>
        k
          ? `Der Zugriff auf ${the(k)} wurde blockiert. Erlaube ihn in den Website-Einstellungen des Browsers (Symbol in der Adressleiste) und schalte ${k === 'audio' ? 'es' : 'sie'} dann wieder ein.`
          : 'Der Zugriff wurde blockiert.',
      'no-device': (k) => `${k === 'audio' ? 'Kein Mikrofon' : 'Keine Kamera'} gefunden. Du kannst trotzdem beitreten, um zuzuhören und zuzusehen.`,
      'device-busy': (k) => `${cap(the(k))} wird von einer anderen Anwendung verwendet oder konnte nicht gestartet werden.`,
      'insecure-context': (k) => `${cap(the(k))} braucht eine sichere Seite (https:// oder localhost).`,
      'media-failed': (k) => (k ? `${cap(the(k))} konnte nicht gestartet werden.` : 'Ton oder Bild konnten nicht verarbeitet werden.'),
      'signaling-failed': 'Der Anrufserver ist nicht erreichbar. Prüfe die Verbindung und versuche es erneut.',
      'no-server': (_, d) =>
        `Es wurde kein Anrufserver angegeben, und die Adresse dieser Seite${d.url ? ` (${d.url})` : ''} ist keiner. Setze das Attribut "server" von <rtc-room> (oder die Option "server" der Sitzung) auf die URL des Anrufservers.`,
      'server-unreachable': (_, d) => `Der Anrufserver${d.url ? ` unter ${d.url}` : ''} ist nicht erreichbar. Läuft der Server, und stimmt der Port?`,
      'origin-not-allowed': (_, d) =>
        `Der Anrufserver${d.url ? ` unter ${d.url}` : ''} nimmt keine Anrufe von dieser Seite${d.origin ? ` (${d.origin})` : ''} an. Füge ${d.origin ?? 'ihre Herkunft'} auf dem Server zu ALLOWED_ORIGINS hinzu.`,
      'room-full': 'Dieser Raum ist voll. Versuche es später noch einmal.',
      'join-failed': 'Beitritt zum Anruf fehlgeschlagen.',
      'peer-failed': 'Die Verbindung zu einer Person im Anruf ist fehlgeschlagen.',
      'protocol-error': 'Der Anrufserver hat die Anfrage abgelehnt.',
      'resume-expired': 'Dein Platz im Anruf ist abgelaufen. Tritt erneut bei.',
      'device-lost': (k) => `${k === 'audio' ? 'Dein Mikrofon' : 'Deine Kamera'} wurde getrennt.`,
      'screen-share-failed': 'Die Bildschirmfreigabe konnte nicht gestartet werden.',
      'signal-refused': 'Ein Verbindungsversuch wurde abgelehnt: Er war nicht mit dem Schlüssel dieses Raums versiegelt.',
      'token-required': 'Für diesen Raum ist eine Einladung nötig.',
      'token-invalid': 'Diese Einladung ist ungültig.',
      'token-expired': 'Diese Einladung ist abgelaufen.',
      'token-room': 'Diese Einladung gilt für einen anderen Raum.',
      removed: 'Ein Host hat dich aus dem Anruf entfernt.',
      'room-locked': 'Dieser Raum ist gesperrt.',
      'in-lobby': 'Warten, bis der Host dich hereinlässt…',
      denied: 'Der Host hat dich nicht hereingelassen.',
      'not-allowed': 'Das ist dir in diesem Anruf nicht erlaubt.',
      'room-ended': 'Der Anruf wurde für alle beendet.',
    },
    'Etwas ist schiefgelaufen.',
  ),
};
