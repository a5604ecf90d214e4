/** Spanish. Loaded the first time an element's language is `es`. */
import type { MediaKind } from '../../core/errors.js';
import { errorsByCode, type Strings } from '../strings.js';
import type { PrecallValues } from '../en.js';

const n = (x: number) => x.toLocaleString('es');
const s = (x: number, one: string, other: string) => (x === 1 ? one : other);
const the = (k: MediaKind | undefined) => (k === 'audio' ? 'el micrófono' : 'la cámara');
const cap = (t: string) => t[0]!.toUpperCase() + t.slice(1);
const esMeasured = (v: PrecallValues) => (v.rtt ? ` Por el relé: ${v.rtt} de ida y vuelta${v.rate ? `, ${v.rate}` : ''}.` : '');

export const es: Strings = {
  noRoom: 'No hay ninguna sala a la que unirse.',
  joining: 'Uniéndote…',
  waitingForHost: 'Esperando a que el anfitrión te deje entrar…',
  leave: 'Salir',
  callEnded: 'La llamada ha terminado.',
  joinAgain: 'Volver a unirse',
  youLeft: 'Has salido de la llamada',
  rejoin: 'Volver a entrar',
  couldNotJoin: 'No se pudo unir a la llamada.',
  tryAgain: 'Reintentar',
  askedToMute: (name, kind) =>
    kind === 'audio' ? `${name} te ha pedido que silencies el micrófono: está desactivado.` : `${name} te ha pedido que apagues la cámara: está apagada.`,
  backInAudience: 'Has vuelto al público: tu cámara y tu micrófono están desactivados.',
  onStage: 'Estás en el escenario: todo el público te ve y te oye.',
  loadFailed: 'No se pudo cargar la llamada: comprueba la conexión y vuelve a cargar la página.',
  partLoadFailed: 'No se pudo cargar una parte de la llamada: comprueba la conexión.',

  dismiss: 'Descartar',
  chat: 'Chat',
  people: 'Personas',
  unreadCount: (x) => `${n(x)} sin leer`,
  inCallCount: (x) => `${n(x)} en la llamada`,
  unreadMessages: (x) => `${n(x)} ${s(x, 'mensaje de chat sin leer', 'mensajes de chat sin leer')}`,
  live: 'En directo',
  watching: (x) => `${n(x)} ${s(x, 'espectador', 'espectadores')}`,
  serverUnreachable: (othersHere) =>
    `No se puede contactar con el servidor de la llamada.${othersHere ? ' La llamada continúa con quienes están aquí, pero nadie nuevo puede unirse.' : ''}`,
  reconnectingServer: 'Reconectando con el servidor…',
  wantsToJoin: (name, more) => `${name} quiere unirse${more ? ` (y ${n(more)} más)` : ''}`,
  admit: 'Admitir',
  deny: 'Rechazar',
  ok: 'Aceptar',
  more: 'Más',
  callStatistics: 'Estadísticas de la llamada',
  close: 'Cerrar',
  closePanel: (panel) => `Cerrar ${panel}`,
  participantPages: 'Páginas de participantes',
  previousPage: 'Página anterior',
  nextPage: 'Página siguiente',
  pin: (name) => `Fijar a ${name}`,
  unpin: (name) => `Dejar de fijar a ${name}`,

  joined: (name) => `${name} se ha unido`,
  left: (name) => `${name} ha salido`,
  lostConnection: (name) => `${name} ha perdido la conexión`,
  startedSharing: (name) => `${name} está compartiendo su pantalla`,
  stoppedSharing: (name) => `${name} ha dejado de compartir su pantalla`,
  reconnectingTo: (name) => `Se perdió la conexión con ${name}, reconectando`,
  isBack: (name) => `${name} ha vuelto`,
  reacted: (name, reaction) => `${name} ha reaccionado con ${reaction}`,
  raisedHand: (name) => `${name} ha levantado la mano`,
  loweredHand: (name) => `${name} ha bajado la mano`,
  loweredYourHand: (name) => `${name || 'Un anfitrión'} ha bajado tu mano`,
  someone: 'Alguien',

  recordCall: 'Grabar la llamada',
  stopRecording: 'Detener la grabación',
  isRecording: (name) => `${name} está grabando`,
  stoppedRecording: (name) => `${name} ha dejado de grabar`,
  othersRecording: (names) =>
    names.length === 1
      ? `${names[0]} está grabando`
      : names.length === 2
        ? `${names[0]} y ${names[1]} están grabando`
        : `${n(names.length)} personas están grabando`,
  recBadge: 'GRAB',
  record: 'Grabar',
  stop: 'Detener',
  whatToRecord: 'Qué grabar',
  wholeCall: 'Toda la llamada',
  downloadRecording: 'Descargar la grabación',
  discardRecording: 'Descartar la grabación',
  recordingDiscarded: 'Grabación descartada',
  recordingStarted: 'Grabación iniciada',
  recordingReady: 'Grabación detenida. El archivo está listo para descargar.',
  recordingFailed: (why) => `La grabación se detuvo: ${why}`,
  cannotRecord: 'Este navegador no puede grabar',

  reactions: 'Reacciones',
  react: 'Reaccionar',
  raiseHand: 'Levantar la mano',
  raiseYourHand: 'Levantar la mano',
  lowerYourHand: 'Bajar la mano',
  reactionNames: { '👍': 'Pulgar arriba', '👏': 'Aplausos', '❤️': 'Corazón', '😂': 'Risa', '😮': 'Sorpresa', '🎉': 'Celebración' },
  handRaised: 'Mano levantada',
  handRaisedAt: (position) => `Mano levantada, número ${n(position)} en la cola`,
  raisedHands: (x) => `Manos levantadas (${n(x)})`,
  lower: 'Bajar',
  lowerHandOf: (name) => `Bajar la mano de ${name}`,

  yourName: 'Tu nombre',
  join: 'Unirse',
  joinAsViewer: 'Unirse como espectador',
  noCallToJoin: 'No hay ninguna llamada',
  you: 'Tú',
  microphoneLevel: 'Nivel del micrófono',
  liveStreamNote:
    'Esto es una emisión en directo: la verás sin tu cámara ni tu micrófono. Si todavía nadie presenta, la inicias tú: entonces se te pedirán la cámara y el micrófono.',
  viewerNote: 'Te unes como espectador: verás y oirás la llamada, sin tu cámara ni tu micrófono.',

  devices: 'Dispositivos',
  camera: 'Cámara',
  microphone: 'Micrófono',
  speaker: 'Altavoz',
  noCamera: 'No se encontró ninguna cámara',
  noMicrophone: 'No se encontró ningún micrófono',
  noSpeaker: 'No se encontró ningún altavoz',
  switchedTo: (device) => `Cambiado a ${device}`,

  callControls: 'Controles de la llamada',
  shareScreen: 'Compartir pantalla',
  notConnected: 'No conectado a una llamada',
  notInCall: 'No estás en una llamada',
  viewersCannotSend: 'Los espectadores no pueden enviar audio ni vídeo',
  deviceState: (kind, on) => (kind === 'audio' ? `Micrófono ${on ? 'activado' : 'desactivado'}` : `Cámara ${on ? 'encendida' : 'apagada'}`),
  screenSharingStarted: 'Has empezado a compartir la pantalla',
  screenSharingStopped: 'Has dejado de compartir la pantalla',

  clickToPlay: 'Haz clic para reproducir',
  speakerFailed: 'No se pudo usar el altavoz elegido. El sonido sigue en el anterior.',
  recording: 'Grabando',
  recordingTheCall: 'Está grabando la llamada',
  microphoneMuted: 'Micrófono silenciado',
  cameraOff: 'Cámara apagada',
  speaking: 'Hablando',
  sharingScreen: 'Compartiendo pantalla',
  screenOf: (name) => `Pantalla de ${name}`,
  verify: 'Verificar',
  verifyName: (name) => `Verificar a ${name}`,
  safetyCode: 'Código de seguridad',
  safetyCodeWith: (name) => `Código de seguridad con ${name}`,
  safetyCodeTitle: (name) => `El código de seguridad para comparar con ${name}`,
  computingSafetyCode: 'Calculando el código de seguridad…',
  computing: 'Calculando…',
  noSafetyCode: (name) => `Sin código de seguridad: no hay conexión con ${name}.`,
  compareWords: (name) => `Compara estas palabras con ${name}: si coinciden, nadie está escuchando en medio.`,
  compareWith: (name) => `Compara con ${name}:`,
  connecting: 'Conectando…',
  reconnecting: 'Reconectando…',
  connectionLost: 'Conexión perdida',
  qualityLevels: { good: 'buena', fair: 'regular', poor: 'mala', lost: 'perdida' },
  qualityReasons: {
    disconnected: 'desconectado',
    'no media received': 'no se recibe audio ni vídeo',
    'high packet loss': 'mucha pérdida de paquetes',
    'high round-trip time': 'latencia alta',
    'high jitter': 'mucho jitter',
    'low frame rate': 'pocos fotogramas por segundo',
  },
  relayedThroughTurn: 'retransmitida por TURN',
  noRelayPath: 'No se puede conectar directamente; esta llamada no tiene servidor de relé (TURN)',
  connectionQuality: (level, reasons) => `Conexión: ${level}${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
  peopleCount: (x) => `(${n(x)})`,
  youMark: '(tú)',
  comma: ', ',
  nameYou: (name) => `${name} (tú)`,
  host: 'Anfitrión',
  viewer: 'Espectador',
  waitingToJoin: (x) => `Esperando para entrar (${n(x)})`,
  admitName: (name) => `Admitir a ${name}`,
  denyName: (name) => `Rechazar a ${name}`,
  lobbySetting: 'Sala de espera: yo dejo entrar a la gente',
  lockRoom: 'Bloquear la sala',
  mute: 'Silenciar',
  askToMute: (name) => `Silenciar a ${name} (se le pide)`,
  inviteOnStage: 'Invitar al escenario',
  inviteName: (name) => `Invitar a ${name} al escenario`,
  toAudience: 'Al público',
  moveToAudience: (name) => `Devolver a ${name} al público`,
  remove: 'Expulsar',
  removeName: (name) => `Expulsar a ${name} de la llamada`,
  endForEveryone: 'Finalizar para todos',

  chatMessages: 'Mensajes del chat',
  noMessages: 'Todavía no hay mensajes.',
  notConnectedToCall: 'No conectado a una llamada.',
  message: 'Mensaje',
  send: 'Enviar',
  attachFile: 'Adjuntar archivo',
  sendFilesTo: 'Enviar archivos a',
  everyone: 'Todos',
  dropFiles: 'Suelta los archivos para enviarlos',
  fileTransfers: 'Transferencias de archivos',
  earlierMessages: (name) => `Mensajes anteriores, compartidos por ${name ?? 'alguien que se fue'}`,
  toPeer: (name) => `para ${name ?? 'todos'}`,
  fromPeer: (name) => `de ${name}`,
  timeLeft: (duration) => `quedan ${duration}`,
  cancel: 'Cancelar',
  cancelFile: (file) => `Cancelar ${file}`,
  download: 'Descargar',
  dismissFile: (file) => `Descartar ${file}`,
  accept: 'Aceptar',
  acceptFile: (file) => `Aceptar ${file}`,
  decline: 'Rechazar',
  declineFile: (file) => `Rechazar ${file}`,
  wantsToSendYou: 'Quiere enviarte este archivo',
  waitingToAccept: (name) => (name ? `Esperando a que ${name} acepte…` : 'Esperando a que acepten…'),
  offerNotice: (name, file, size) => `${name} quiere enviarte ${file} (${size}).`,
  transferStates: { done: 'Enviado', cancelled: 'Cancelado', declined: 'Rechazado', failed: 'Error' },
  transferError: (e) => {
    const who = e.name ?? 'La persona destinataria';
    const guest = e.name ?? 'Invitado';
    switch (e.code) {
      case 'you-declined':
        return 'Lo rechazaste.';
      case 'you-cancelled':
        return 'Lo cancelaste.';
      case 'you-left':
        return 'Saliste de la llamada.';
      case 'interrupted':
        return 'La llamada se interrumpió.';
      case 'connection-lost':
        return 'Se perdió la conexión.';
      case 'call-ended':
        return 'La llamada ha terminado.';
      case 'not-accepted':
        return 'No se aceptó a tiempo.';
      case 'peer-left':
        return `${guest} salió de la llamada.`;
      case 'peer-cancelled':
        return `${who} lo canceló.`;
      case 'peer-withdrew':
        return `${who} retiró la oferta.`;
      case 'peer-declined':
        return `${who} lo rechazó.`;
      case 'peer-expired':
        return `${who} no lo aceptó a tiempo.`;
      case 'peer-busy':
        return `${who} está recibiendo demasiados archivos.`;
      case 'peer-throttled':
        return `${who} está recibiendo demasiadas ofertas; inténtalo más tarde.`;
      case 'too-large':
        return `El archivo es demasiado grande para ${who}.`;
      case 'peer-damaged':
        return `El archivo llegó dañado a ${who}.`;
      case 'peer-error':
        return `${who} no pudo recibirlo.`;
      case 'too-many-from':
        return `Demasiados archivos de ${guest} a la vez; pide que lo intente más tarde.`;
      case 'overrun':
        return 'El remitente envió más de lo anunciado.';
      case 'incomplete':
        return 'El archivo llegó incompleto.';
      case 'no-hash':
        return 'El remitente no envió el hash del archivo.';
      case 'damaged':
        return 'El archivo llegó dañado (su suma de verificación no coincidía).';
      case 'check-failed':
        return 'No se pudo comprobar el archivo.';
      case 'send-failed':
        return `No se pudo enviar el archivo${e.detail ? `: ${e.detail}` : '.'}`;
      case 'not-delivered':
        return `No se entregó a ${n(e.missed ?? 0)} de ${n(e.total ?? 0)}.`;
    }
  },
  messageTooLong: (max) => `El mensaje supera los ${n(max)} caracteres.`,
  participantGone: 'Esa persona no está en la llamada.',
  transferEnded: (file, outcome) =>
    `${file}: ${{ sent: 'enviado', received: 'recibido', cancelled: 'cancelado', declined: 'rechazado', failed: 'error' }[outcome]}.`,

  checkYourSetup: 'Comprueba tu equipo',
  network: 'Red',
  testing: 'Probando…',
  testAgain: 'Volver a probar',
  testMySetup: 'Probar mi equipo',
  playing: 'Reproduciendo…',
  playTestSound: 'Reproducir un sonido de prueba',
  precallStatus: { pending: 'Sin probar', running: 'Probando', pass: 'Correcto', warn: 'Revisar', fail: 'Problema', skipped: 'Omitido' },
  precallIntro: 'Prueba la cámara, el micrófono, el altavoz y la conexión antes de unirte.',
  precallProgress: (step, done, total) => `Probando${step ? ` (${step})` : ''}… ${n(done)} de ${n(total)} listos.`,
  precallFailed: 'Listo: algunas cosas necesitan atención (ver abajo).',
  precallWarned: 'Listo: puedes unirte; mira las notas de abajo.',
  precallPassed: 'Listo: todo funciona. Ya puedes unirte.',
  verdict: 'Resultado',
  relayRoundTrip: 'Ida y vuelta por el relé',
  relayThroughput: 'Rendimiento por el relé',
  addressesFound: 'Direcciones encontradas',
  addresses: (local, pub, relay) => `${n(local)} locales, ${n(pub)} públicas, ${n(relay)} de relé`,
  notMeasured: 'sin medir',
  precallTexts: {
    'not-tested': () => 'Sin probar.',
    'not-tested-yet': () => 'Todavía sin probar.',
    running: (v) =>
      ({
        camera: 'Abriendo la cámara…',
        microphone: 'Escuchando el micrófono…',
        speaker: 'Buscando altavoces…',
        network: 'Probando la conexión con el servidor de llamadas y el relé…',
      })[v.step],
    unexpected: (v) =>
      `La prueba de ${{ camera: 'la cámara', microphone: 'el micrófono', speaker: 'el altavoz', network: 'la red' }[v.step]} falló de forma inesperada (${v.detail}).`,
    'no-media-devices': (v) => `Esta página no puede usar ${v.step === 'camera' ? 'una cámara' : 'un micrófono'} (necesita https:// o localhost).`,
    'device-error': (v) => v.error,
    'camera-no-frames': () => 'La cámara se abrió pero no envía imagen. Cierra otras aplicaciones que puedan usarla o elige otra cámara.',
    'camera-works': (v) => `Tu cámara funciona${v.size ? ` (${v.size})` : ''}.`,
    'microphone-silent': () =>
      'Tu micrófono se abrió pero no oímos nada. Di algo y vuelve a probar; comprueba que no esté silenciado (¿un interruptor en los auriculares?) o elige otro micrófono.',
    'microphone-works': () => 'Tu micrófono capta sonido.',
    'speakers-choose': (v) => `Puedes elegir entre ${n(v.outputs)} altavoces. Reproduce un sonido de prueba para oír el elegido.`,
    'speaker-works': () => 'El sonido sale por tu altavoz. Reproduce un sonido de prueba para oírlo.',
    'speaker-default': () =>
      'El sonido sale por el altavoz predeterminado del sistema (este navegador no puede elegir otro). Reproduce un sonido de prueba para oírlo.',
    'server-unreachable': () =>
      'No se pudo contactar con el servidor de llamadas, así que desde aquí no puede empezar ninguna llamada. Revisa tu conexión o inténtalo más tarde.',
    'direct-and-relay': (v) => `Las conexiones directas son posibles, y el servidor de relé (TURN) funciona para las redes que las bloquean.${esMeasured(v)}`,
    'direct-local-only': () =>
      'Solo se puede llegar directamente a dispositivos de esta red (no se encontró una dirección pública), y esta llamada no tiene servidor de relé (TURN).',
    direct: (v) =>
      `Las conexiones directas son posibles.${v.turn ? '' : ' Esta llamada no tiene servidor de relé (TURN): quienes estén en redes estrictas quizá no puedan conectarse.'}`,
    'relay-only': (v) => `Las llamadas pasan por el servidor de relé (TURN).${esMeasured(v)}`,
    'relay-needed': (v) => `Una conexión directa es poco probable desde esta red, pero el servidor de relé (TURN) funciona.${esMeasured(v)}`,
    'turn-refused': () =>
      'El servidor de relé (TURN) rechazó nuestras credenciales: el servidor de llamadas y el relé no comparten el mismo secreto. Pide al responsable del sitio que revise TURN_SECRET.',
    'turn-unreachable': (v) =>
      `No se puede contactar con el servidor de relé (TURN)${v.relayError ? ` (${v.relayError === 'failed' ? 'la conexión por el relé falló' : 'la conexión por el relé no se abrió a tiempo'})` : ''}.${v.directMayWork ? ' Las conexiones directas pueden funcionar, pero no desde redes estrictas.' : ''}`,
    blocked: () => 'Desde esta red no es posible ninguna conexión: un cortafuegos o un proxy puede estar bloqueando las llamadas. Prueba otra red.',
  },
  precallVerdicts: {
    direct: 'Conexión directa posible',
    relay: 'Necesita el relé TURN (funciona)',
    'turn-failed': 'TURN inaccesible o credenciales incorrectas',
    'turn-refused': 'TURN rechazó las credenciales (¿secreto incorrecto?)',
    'turn-no-data': 'El relé TURN no transmite datos',
    blocked: 'Bloqueada',
  },
  megabitsPerSecond: (mbit) => `${mbit} Mbit/s`,

  reportCopied: 'Informe copiado al portapapeles.',
  clipboardUnavailable: 'El portapapeles no está disponible: selecciona el informe de abajo y cópialo.',
  copyReport: 'Copiar informe',
  callReport: 'Informe de la llamada (JSON)',
  nobodyElse: 'No hay nadie más en la llamada.',
  roomHealth: 'Estado de la sala',
  roomHealthMatrix: 'Matriz del estado de la sala',
  healthCaption: 'Cómo recibe cada persona (fila) a cada una de las demás (columna), y qué envía',
  receiver: 'Receptor',
  sends: 'Envía',
  noReport: 'sin informe',
  limitedBy: (what) => `limitado por ${what}`,
  connectionWith: (name) => `Conexión con ${name}`,
  statLabels: {
    connection: 'Conexión',
    ice: 'ICE',
    gathering: 'Recopilación',
    signaling: 'Señalización',
    quality: 'Calidad',
    path: 'Ruta',
    rtt: 'Ida y vuelta',
    loss: 'Pérdida de paquetes',
    jitter: 'Jitter',
    in: 'Recibiendo',
    out: 'Enviando',
    limit: 'Límite de envío',
  },
  measuring: 'midiendo…',
  timeline: (x) => `Historial (${n(x)} ${s(x, 'cambio', 'cambios')})`,
  loss: (percent) => `${percent} de pérdida`,

  error: errorsByCode(
    {
      'permission-denied': (k) =>
        k
          ? `Se bloqueó el acceso a ${the(k)}. Permítelo en la configuración del sitio del navegador (el icono de la barra de direcciones) y vuelve a activarlo.`
          : 'Se bloqueó el acceso.',
      'no-device': (k) => `No se encontró ${k === 'audio' ? 'ningún micrófono' : 'ninguna cámara'}. Aun así puedes unirte para escuchar y ver.`,
      'device-busy': (k) => `${cap(the(k))} está en uso por otra aplicación o no se pudo iniciar.`,
      'insecure-context': (k) => `${cap(the(k))} necesita una página segura (https:// o localhost).`,
      'media-failed': (k) => (k ? `No se pudo iniciar ${the(k)}.` : 'No se pudo procesar el audio o el vídeo.'),
      'signaling-failed': 'No se puede contactar con el servidor de la llamada. Comprueba la conexión y vuelve a intentarlo.',
      'no-server': (_, d) =>
        `No se indicó ningún servidor de llamadas, y la dirección de esta página${d.url ? ` (${d.url})` : ''} no lo es. Pon la URL del servidor de llamadas en el atributo "server" de <rtc-room> (o en la opción "server" de la sesión).`,
      'server-unreachable': (_, d) =>
        `No se puede contactar con el servidor de la llamada${d.url ? ` en ${d.url}` : ''}. ¿Está en marcha el servidor y es correcto el puerto?`,
      'origin-not-allowed': (_, d) =>
        `El servidor de la llamada${d.url ? ` en ${d.url}` : ''} no acepta llamadas desde esta página${d.origin ? ` (${d.origin})` : ''}. Añade ${d.origin ?? 'su origen'} a ALLOWED_ORIGINS en el servidor.`,
      'room-full': 'Esta sala está llena. Inténtalo más tarde.',
      'join-failed': 'No se pudo unir a la llamada.',
      'peer-failed': 'Falló la conexión con una persona de la llamada.',
      'protocol-error': 'El servidor de la llamada rechazó la petición.',
      'resume-expired': 'Tu lugar en la llamada ha caducado. Vuelve a unirte.',
      'device-lost': (k) => `Se desconectó ${k === 'audio' ? 'tu micrófono' : 'tu cámara'}.`,
      'screen-share-failed': 'No se pudo empezar a compartir la pantalla.',
      'signal-refused': 'Se rechazó un intento de conexión: no estaba sellado con la clave de esta sala.',
      'token-required': 'Esta sala necesita una invitación.',
      'token-invalid': 'Esta invitación no es válida.',
      'token-expired': 'Esta invitación ha caducado.',
      'token-room': 'Esta invitación es para otra sala.',
      removed: 'Un anfitrión te ha expulsado de la llamada.',
      'room-locked': 'Esta sala está bloqueada.',
      'in-lobby': 'Esperando a que el anfitrión te deje entrar…',
      denied: 'El anfitrión no te ha dejado entrar.',
      'not-allowed': 'No tienes permiso para hacer eso en esta llamada.',
      'room-ended': 'La llamada ha terminado para todos.',
    },
    'Algo ha fallado.',
  ),
};
