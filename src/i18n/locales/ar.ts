/** Arabic (written right to left: the room mirrors its layout). Loaded the first time an element's language is `ar`. */
import { errorsByCode, type Strings } from '../strings.js';
import type { PrecallValues } from '../en.js';

const n = (x: number) => x.toLocaleString('ar');
/** Left to right inside the Arabic text (an address, a name in code), isolated so it does not reorder the words around it. */
const ltr = (t: string) => `\u2066${t}\u2069`;
const arMeasured = (v: PrecallValues) => (v.rtt ? ` عبر المرحّل: زمن الذهاب والعودة ${v.rtt}${v.rate ? `، والإنتاجية ${v.rate}` : ''}.` : '');

export const ar: Strings = {
  noRoom: 'لا توجد غرفة للانضمام إليها.',
  joining: 'جارٍ الانضمام…',
  waitingForHost: 'بانتظار أن يسمح لك المضيف بالدخول…',
  leave: 'مغادرة',
  callEnded: 'انتهت المكالمة.',
  joinAgain: 'الانضمام مجددًا',
  youLeft: 'غادرت المكالمة',
  rejoin: 'العودة إلى المكالمة',
  couldNotJoin: 'تعذّر الانضمام إلى المكالمة.',
  tryAgain: 'إعادة المحاولة',
  askedToMute: (name, kind) => (kind === 'audio' ? `طلب ${name} كتم صوتك: الميكروفون مغلق الآن.` : `طلب ${name} إيقاف الكاميرا: الكاميرا متوقفة الآن.`),
  backInAudience: 'عدت إلى الجمهور: الكاميرا والميكروفون متوقفان.',
  onStage: 'أنت على المسرح: كل المشاهدين يرونك ويسمعونك.',
  loadFailed: 'تعذّر تحميل المكالمة: تحقّق من الاتصال وأعد تحميل الصفحة.',
  partLoadFailed: 'تعذّر تحميل جزء من المكالمة: تحقّق من الاتصال.',

  dismiss: 'تجاهل',
  chat: 'الدردشة',
  people: 'المشاركون',
  unreadCount: (x) => `غير المقروءة: ${n(x)}`,
  inCallCount: (x) => `في المكالمة: ${n(x)}`,
  unreadMessages: (x) => `رسائل دردشة غير مقروءة: ${n(x)}`,
  live: 'مباشر',
  watching: (x) => `المشاهدون: ${n(x)}`,
  serverUnreachable: (othersHere) => `تعذّر الوصول إلى خادم المكالمة.${othersHere ? ' تستمر المكالمة مع الموجودين، لكن لا يمكن لأحد جديد الانضمام.' : ''}`,
  reconnectingServer: 'جارٍ إعادة الاتصال بالخادم…',
  wantsToJoin: (name, more) => `يريد ${name} الانضمام${more ? ` (ومعه ${n(more)} آخرون)` : ''}`,
  admit: 'قبول',
  deny: 'رفض',
  ok: 'حسنًا',
  more: 'المزيد',
  callStatistics: 'إحصاءات المكالمة',
  close: 'إغلاق',
  closePanel: (panel) => `إغلاق ${panel}`,
  participantPages: 'صفحات المشاركين',
  previousPage: 'الصفحة السابقة',
  nextPage: 'الصفحة التالية',
  pin: (name) => `تثبيت ${name}`,
  unpin: (name) => `إلغاء تثبيت ${name}`,

  joined: (name) => `انضم ${name}`,
  left: (name) => `غادر ${name}`,
  lostConnection: (name) => `انقطع اتصال ${name}`,
  startedSharing: (name) => `يشارك ${name} شاشته`,
  stoppedSharing: (name) => `أوقف ${name} مشاركة شاشته`,
  reconnectingTo: (name) => `انقطع الاتصال بـ ${name}، جارٍ إعادة الاتصال`,
  isBack: (name) => `عاد ${name}`,
  reacted: (name, reaction) => `تفاعل ${name} بـ ${reaction}`,
  raisedHand: (name) => `رفع ${name} يده`,
  loweredHand: (name) => `أنزل ${name} يده`,
  loweredYourHand: (name) => `أنزل ${name || 'أحد المضيفين'} يدك`,
  someone: 'شخص ما',

  recordCall: 'تسجيل المكالمة',
  stopRecording: 'إيقاف التسجيل',
  isRecording: (name) => `${name} يسجّل`,
  stoppedRecording: (name) => `أوقف ${name} التسجيل`,
  othersRecording: (names) =>
    names.length === 1 ? `${names[0]} يسجّل` : names.length === 2 ? `${names[0]} و${names[1]} يسجّلان` : `عدد من يسجّلون: ${n(names.length)}`,
  recBadge: 'تسجيل',
  record: 'تسجيل',
  stop: 'إيقاف',
  whatToRecord: 'ما الذي تريد تسجيله',
  wholeCall: 'المكالمة كاملة',
  downloadRecording: 'تنزيل التسجيل',
  discardRecording: 'حذف التسجيل',
  recordingDiscarded: 'حُذف التسجيل',
  recordingStarted: 'بدأ التسجيل',
  recordingReady: 'توقف التسجيل. الملف جاهز للتنزيل.',
  recordingFailed: (why) => `توقف التسجيل: ${why}`,
  cannotRecord: 'هذا المتصفح لا يستطيع التسجيل',

  reactions: 'التفاعلات',
  react: 'تفاعل',
  raiseHand: 'رفع اليد',
  raiseYourHand: 'ارفع يدك',
  lowerYourHand: 'أنزل يدك',
  reactionNames: { '👍': 'إعجاب', '👏': 'تصفيق', '❤️': 'قلب', '😂': 'ضحك', '😮': 'دهشة', '🎉': 'احتفال' },
  handRaised: 'يد مرفوعة',
  handRaisedAt: (position) => `يد مرفوعة، رقم ${n(position)} في الدور`,
  raisedHands: (x) => `الأيدي المرفوعة (${n(x)})`,
  lower: 'إنزال',
  lowerHandOf: (name) => `إنزال يد ${name}`,

  yourName: 'اسمك',
  join: 'انضمام',
  joinAsViewer: 'الانضمام كمشاهد',
  noCallToJoin: 'لا توجد مكالمة للانضمام إليها',
  you: 'أنت',
  microphoneLevel: 'مستوى الميكروفون',
  liveStreamNote: 'هذا بث مباشر: ستشاهده دون الكاميرا أو الميكروفون. إن لم يكن أحد يقدّم بعد، فأنت من يبدأ البث: وعندها يُطلب إذن الكاميرا والميكروفون.',
  viewerNote: 'أنت تنضم كمشاهد: سترى المكالمة وتسمعها دون الكاميرا أو الميكروفون.',

  devices: 'الأجهزة',
  camera: 'الكاميرا',
  microphone: 'الميكروفون',
  speaker: 'مكبّر الصوت',
  noCamera: 'لم يُعثر على كاميرا',
  noMicrophone: 'لم يُعثر على ميكروفون',
  noSpeaker: 'لم يُعثر على مكبّر صوت',
  switchedTo: (device) => `تم التبديل إلى ${device}`,

  callControls: 'أدوات التحكم في المكالمة',
  shareScreen: 'مشاركة الشاشة',
  notConnected: 'غير متصل بمكالمة',
  notInCall: 'لست في مكالمة',
  viewersCannotSend: 'لا يمكن للمشاهدين إرسال الصوت أو الفيديو',
  deviceState: (kind, on) => (kind === 'audio' ? `الميكروفون ${on ? 'يعمل' : 'مغلق'}` : `الكاميرا ${on ? 'تعمل' : 'متوقفة'}`),
  screenSharingStarted: 'بدأت مشاركة الشاشة',
  screenSharingStopped: 'توقفت مشاركة الشاشة',

  clickToPlay: 'انقر للتشغيل',
  speakerFailed: 'تعذّر استخدام مكبّر الصوت المختار. يستمر الصوت على المكبّر السابق.',
  recording: 'يسجّل',
  recordingTheCall: 'يسجّل المكالمة',
  microphoneMuted: 'الميكروفون مكتوم',
  cameraOff: 'الكاميرا متوقفة',
  speaking: 'يتحدث',
  sharingScreen: 'يشارك الشاشة',
  screenOf: (name) => `شاشة ${name}`,
  verify: 'تحقّق',
  verifyName: (name) => `التحقّق من ${name}`,
  safetyCode: 'رمز الأمان',
  safetyCodeWith: (name) => `رمز الأمان مع ${name}`,
  safetyCodeTitle: (name) => `رمز الأمان للمقارنة مع ${name}`,
  computingSafetyCode: 'جارٍ حساب رمز الأمان…',
  computing: 'جارٍ الحساب…',
  noSafetyCode: (name) => `لا يوجد رمز أمان: لا اتصال مع ${name}.`,
  compareWords: (name) => `قارن هذه الكلمات مع ${name}: إن تطابقت فلا أحد يتنصّت بينكما.`,
  compareWith: (name) => `قارن مع ${name}:`,
  connecting: 'جارٍ الاتصال…',
  reconnecting: 'جارٍ إعادة الاتصال…',
  connectionLost: 'انقطع الاتصال',
  qualityLevels: { good: 'جيدة', fair: 'مقبولة', poor: 'ضعيفة', lost: 'منقطعة' },
  qualityReasons: {
    disconnected: 'غير متصل',
    'no media received': 'لا يصل صوت ولا صورة',
    'high packet loss': 'فقدان كبير للحزم',
    'high round-trip time': 'زمن استجابة مرتفع',
    'high jitter': 'تذبذب مرتفع',
    'low frame rate': 'معدل إطارات منخفض',
  },
  relayedThroughTurn: 'عبر خادم TURN',
  noRelayPath: 'يتعذّر الاتصال المباشر؛ ولا يوجد خادم ترحيل (TURN) لهذه المكالمة',
  connectionQuality: (level, reasons) => `الاتصال: ${level}${reasons.length ? ` (${reasons.join('، ')})` : ''}`,
  peopleCount: (x) => `(${n(x)})`,
  youMark: '(أنت)',
  comma: '، ',
  nameYou: (name) => `${name} (أنت)`,
  host: 'مضيف',
  viewer: 'مشاهد',
  waitingToJoin: (x) => `بانتظار الدخول (${n(x)})`,
  admitName: (name) => `قبول ${name}`,
  denyName: (name) => `رفض ${name}`,
  lobbySetting: 'غرفة الانتظار: أنا من يُدخل الناس',
  lockRoom: 'قفل الغرفة',
  mute: 'كتم',
  askToMute: (name) => `كتم صوت ${name} (بطلب منه)`,
  inviteOnStage: 'دعوة إلى المسرح',
  inviteName: (name) => `دعوة ${name} إلى المسرح`,
  toAudience: 'إلى الجمهور',
  moveToAudience: (name) => `إعادة ${name} إلى الجمهور`,
  remove: 'إزالة',
  removeName: (name) => `إزالة ${name} من المكالمة`,
  endForEveryone: 'إنهاء المكالمة للجميع',

  chatMessages: 'رسائل الدردشة',
  noMessages: 'لا توجد رسائل بعد.',
  notConnectedToCall: 'غير متصل بمكالمة.',
  message: 'رسالة',
  send: 'إرسال',
  attachFile: 'إرفاق ملف',
  sendFilesTo: 'إرسال الملفات إلى',
  everyone: 'الجميع',
  dropFiles: 'أفلت الملفات هنا لإرسالها',
  fileTransfers: 'نقل الملفات',
  earlierMessages: (name) => `رسائل سابقة شاركها ${name ?? 'شخص غادر'}`,
  toPeer: (name) => `إلى ${name ?? 'الجميع'}`,
  fromPeer: (name) => `من ${name}`,
  timeLeft: (duration) => `يتبقى ${duration}`,
  cancel: 'إلغاء',
  cancelFile: (file) => `إلغاء ${file}`,
  download: 'تنزيل',
  dismissFile: (file) => `تجاهل ${file}`,
  accept: 'قبول',
  acceptFile: (file) => `قبول ${file}`,
  decline: 'رفض',
  declineFile: (file) => `رفض ${file}`,
  wantsToSendYou: 'يريد إرسال هذا الملف إليك',
  waitingToAccept: (name) => (name ? `بانتظار أن يقبل ${name}…` : 'بانتظار قبولهم…'),
  offerNotice: (name, file, size) => `يريد ${name} أن يرسل إليك ${file} (${size}).`,
  transferStates: { done: 'أُرسل', cancelled: 'أُلغي', declined: 'رُفض', failed: 'فشل' },
  transferError: (e) => {
    const who = e.name ?? 'المستلم';
    const guest = e.name ?? 'ضيف';
    switch (e.code) {
      case 'you-declined':
        return 'رفضته.';
      case 'you-cancelled':
        return 'ألغيته.';
      case 'you-left':
        return 'غادرت المكالمة.';
      case 'interrupted':
        return 'انقطعت المكالمة.';
      case 'connection-lost':
        return 'انقطع الاتصال.';
      case 'call-ended':
        return 'انتهت المكالمة.';
      case 'not-accepted':
        return 'لم يُقبل في الوقت المحدد.';
      case 'peer-left':
        return `غادر ${guest} المكالمة.`;
      case 'peer-cancelled':
        return `ألغاه ${who}.`;
      case 'peer-withdrew':
        return `سحب ${who} العرض.`;
      case 'peer-declined':
        return `رفضه ${who}.`;
      case 'peer-expired':
        return `لم يقبله ${who} في الوقت المحدد.`;
      case 'peer-busy':
        return `يستقبل ${who} ملفات كثيرة جدًا.`;
      case 'peer-throttled':
        return `يتلقى ${who} عروضًا كثيرة جدًا؛ حاول لاحقًا.`;
      case 'too-large':
        return `الملف كبير جدًا بالنسبة إلى ${who}.`;
      case 'peer-damaged':
        return `وصل الملف تالفًا إلى ${who}.`;
      case 'peer-error':
        return `تعذّر على ${who} استلامه.`;
      case 'too-many-from':
        return `ملفات كثيرة جدًا من ${guest} في وقت واحد؛ اطلب المحاولة لاحقًا.`;
      case 'overrun':
        return 'أرسل المُرسِل أكثر مما أعلن.';
      case 'incomplete':
        return 'وصل الملف ناقصًا.';
      case 'no-hash':
        return 'لم يرسل المُرسِل بصمة الملف.';
      case 'damaged':
        return 'وصل الملف تالفًا (لم يتطابق مجموعه الاختباري).';
      case 'check-failed':
        return 'تعذّر التحقق من الملف.';
      case 'send-failed':
        return `تعذّر إرسال الملف${e.detail ? `: ${e.detail}` : '.'}`;
      case 'not-delivered':
        return `لم يُسلَّم إلى ${n(e.missed ?? 0)} من ${n(e.total ?? 0)}.`;
    }
  },
  messageTooLong: (max) => `الرسالة أطول من ${n(max)} حرف.`,
  participantGone: 'هذا المشارك ليس في المكالمة.',
  transferEnded: (file, outcome) => `${file}: ${{ sent: 'أُرسل', received: 'وصل', cancelled: 'أُلغي', declined: 'رُفض', failed: 'فشل' }[outcome]}.`,

  checkYourSetup: 'افحص إعداداتك',
  network: 'الشبكة',
  testing: 'جارٍ الاختبار…',
  testAgain: 'اختبار مجددًا',
  testMySetup: 'اختبار إعداداتي',
  playing: 'جارٍ التشغيل…',
  playTestSound: 'تشغيل صوت تجريبي',
  precallStatus: { pending: 'لم يُختبر', running: 'جارٍ الاختبار', pass: 'سليم', warn: 'للمراجعة', fail: 'مشكلة', skipped: 'تم تخطيه' },
  precallIntro: 'اختبر الكاميرا والميكروفون ومكبّر الصوت والاتصال قبل الانضمام.',
  precallProgress: (step, done, total) => `جارٍ الاختبار${step ? ` (${step})` : ''}… اكتمل ${n(done)} من ${n(total)}.`,
  precallFailed: 'انتهى: بعض الأمور تحتاج إلى انتباه (انظر أدناه).',
  precallWarned: 'انتهى: يمكنك الانضمام؛ راجع الملاحظات أدناه.',
  precallPassed: 'انتهى: كل شيء يعمل. أنت جاهز للانضمام.',
  verdict: 'النتيجة',
  relayRoundTrip: 'زمن الذهاب والعودة عبر المرحّل',
  relayThroughput: 'الإنتاجية عبر المرحّل',
  addressesFound: 'العناوين المكتشفة',
  addresses: (local, pub, relay) => `محلية: ${n(local)}، عامة: ${n(pub)}، مرحّلة: ${n(relay)}`,
  notMeasured: 'لم يُقَس',
  precallTexts: {
    'not-tested': () => 'لم يُختبر.',
    'not-tested-yet': () => 'لم يُختبر بعد.',
    running: (v) =>
      ({
        camera: 'جارٍ فتح الكاميرا…',
        microphone: 'جارٍ الاستماع إلى الميكروفون…',
        speaker: 'جارٍ البحث عن مكبّرات الصوت…',
        network: 'جارٍ اختبار الاتصال بخادم المكالمات والمرحّل…',
      })[v.step],
    unexpected: (v) =>
      `فشل اختبار ${{ camera: 'الكاميرا', microphone: 'الميكروفون', speaker: 'مكبّر الصوت', network: 'الشبكة' }[v.step]} على نحو غير متوقع (${v.detail}).`,
    'no-media-devices': (v) => `لا تستطيع هذه الصفحة استخدام ${v.step === 'camera' ? 'الكاميرا' : 'الميكروفون'} (تحتاج إلى https:// أو localhost).`,
    'device-error': (v) => v.error,
    'camera-no-frames': () => 'فُتحت الكاميرا لكنها لا ترسل صورة. أغلق التطبيقات الأخرى التي قد تستخدمها، أو اختر كاميرا أخرى.',
    'camera-works': (v) => `الكاميرا تعمل${v.size ? ` (${v.size})` : ''}.`,
    'microphone-silent': () =>
      'فُتح الميكروفون لكننا لم نسمع شيئًا. قل شيئًا واختبر مجددًا؛ وتأكد من أنه غير مكتوم (مفتاح على سماعة الرأس؟)، أو اختر ميكروفونًا آخر.',
    'microphone-works': () => 'الميكروفون يلتقط الصوت.',
    'speakers-choose': (v) => `يمكنك الاختيار بين ${n(v.outputs)} من مكبّرات الصوت. شغّل صوتًا تجريبيًا لتسمع المكبّر المختار.`,
    'speaker-works': () => 'يُشغَّل الصوت على مكبّر الصوت لديك. شغّل صوتًا تجريبيًا لتسمعه.',
    'speaker-default': () => 'يُشغَّل الصوت على مكبّر الصوت الافتراضي للنظام (لا يستطيع هذا المتصفح اختيار غيره). شغّل صوتًا تجريبيًا لتسمعه.',
    'server-unreachable': () => 'تعذّر الوصول إلى خادم المكالمات، لذا لا يمكن بدء أي مكالمة من هنا. تحقّق من اتصالك أو حاول لاحقًا.',
    'direct-and-relay': (v) => `الاتصال المباشر ممكن، وخادم الترحيل (TURN) يعمل للشبكات التي تحجبه.${arMeasured(v)}`,
    'direct-local-only': () => 'لا يمكن الوصول مباشرة إلا إلى أجهزة هذه الشبكة (لم يُعثر على عنوان عام)، ولا يوجد خادم ترحيل (TURN) لهذه المكالمة.',
    direct: (v) => `الاتصال المباشر ممكن.${v.turn ? '' : ' لا يوجد خادم ترحيل (TURN) لهذه المكالمة: قد لا يتمكن من هم على شبكات مقيّدة من الاتصال.'}`,
    'relay-only': (v) => `تمر المكالمات عبر خادم الترحيل (TURN).${arMeasured(v)}`,
    'relay-needed': (v) => `الاتصال المباشر غير مرجّح من هذه الشبكة، لكن خادم الترحيل (TURN) يعمل.${arMeasured(v)}`,
    'turn-refused': () => 'رفض خادم الترحيل (TURN) بيانات الاعتماد: خادم المكالمات والمرحّل لا يتشاركان السر نفسه. اطلب من مسؤول الموقع التحقق من TURN_SECRET.',
    'turn-unreachable': (v) =>
      `تعذّر الوصول إلى خادم الترحيل (TURN)${v.relayError ? ` (${v.relayError === 'failed' ? 'فشل الاتصال عبر المرحّل' : 'لم يُفتح الاتصال عبر المرحّل في الوقت المحدد'})` : ''}.${v.directMayWork ? ' قد يعمل الاتصال المباشر، لكن ليس من الشبكات المقيّدة.' : ''}`,
    blocked: () => 'لا يمكن أي اتصال من هذه الشبكة: قد يحجب جدار حماية أو خادم وكيل المكالمات. جرّب شبكة أخرى.',
  },
  precallVerdicts: {
    direct: 'الاتصال المباشر ممكن',
    relay: 'يحتاج إلى مرحّل TURN (يعمل)',
    'turn-failed': 'تعذّر الوصول إلى TURN أو بيانات الاعتماد خاطئة',
    'turn-refused': 'رفض TURN بيانات الاعتماد (سر خاطئ؟)',
    'turn-no-data': 'مرحّل TURN لا ينقل البيانات',
    blocked: 'محجوب',
  },
  megabitsPerSecond: (mbit) => `${mbit} ميغابت/ث`,

  reportCopied: 'نُسخ التقرير إلى الحافظة.',
  clipboardUnavailable: 'الحافظة غير متاحة: حدّد التقرير أدناه وانسخه.',
  copyReport: 'نسخ التقرير',
  callReport: 'تقرير المكالمة (JSON)',
  nobodyElse: 'لا أحد غيرك في المكالمة.',
  roomHealth: 'حالة الغرفة',
  roomHealthMatrix: 'مصفوفة حالة الغرفة',
  healthCaption: 'كيف يستقبل كل شخص (صف) كل شخص آخر (عمود)، وماذا يرسل',
  receiver: 'المستقبِل',
  sends: 'يرسل',
  noReport: 'لا تقرير',
  limitedBy: (what) => `محدود بسبب ${what}`,
  connectionWith: (name) => `الاتصال مع ${name}`,
  statLabels: {
    connection: 'الاتصال',
    ice: 'ICE',
    gathering: 'الجمع',
    signaling: 'الإشارات',
    quality: 'الجودة',
    path: 'المسار',
    rtt: 'الذهاب والعودة',
    loss: 'فقدان الحزم',
    jitter: 'التذبذب',
    in: 'الاستقبال',
    out: 'الإرسال',
    limit: 'حد الإرسال',
  },
  measuring: 'جارٍ القياس…',
  timeline: (x) => `السجل الزمني (التغييرات: ${n(x)})`,
  loss: (percent) => `فقدان ${percent}`,

  error: errorsByCode(
    {
      'permission-denied': (k) =>
        k
          ? `تم حظر الوصول إلى ${k === 'audio' ? 'الميكروفون' : 'الكاميرا'}. اسمح به في إعدادات الموقع في المتصفح (الرمز في شريط العنوان)، ثم شغّله مجددًا.`
          : 'تم حظر الوصول.',
      'no-device': (k) => `لم يُعثر على ${k === 'audio' ? 'ميكروفون' : 'كاميرا'}. لا يزال بإمكانك الانضمام للاستماع والمشاهدة.`,
      'device-busy': (k) => `${k === 'audio' ? 'الميكروفون مستخدم' : 'الكاميرا مستخدمة'} من تطبيق آخر أو تعذّر تشغيل${k === 'audio' ? 'ه' : 'ها'}.`,
      'insecure-context': (k) => `${k === 'audio' ? 'الميكروفون يحتاج' : 'الكاميرا تحتاج'} إلى صفحة آمنة (https:// أو localhost).`,
      'media-failed': (k) => (k ? `تعذّر تشغيل ${k === 'audio' ? 'الميكروفون' : 'الكاميرا'}.` : 'تعذّرت معالجة الصوت أو الصورة.'),
      'signaling-failed': 'تعذّر الوصول إلى خادم المكالمة. تحقّق من الاتصال وحاول مجددًا.',
      'no-server': (_, d) =>
        `لم يُحدَّد خادم للمكالمة، وعنوان هذه الصفحة${d.url ? ` (${ltr(d.url)})` : ''} ليس خادمًا للمكالمات. اضبط السمة ${ltr('server')} في ${ltr('<rtc-room>')} (أو الخيار ${ltr('server')} للجلسة) على عنوان URL لخادم المكالمة.`,
      'server-unreachable': (_, d) => `تعذّر الوصول إلى خادم المكالمة${d.url ? ` على ${ltr(d.url)}` : ''}. هل الخادم قيد التشغيل، وهل رقم المنفذ صحيح؟`,
      'origin-not-allowed': (_, d) =>
        `خادم المكالمة${d.url ? ` على ${ltr(d.url)}` : ''} لا يقبل المكالمات من هذه الصفحة${d.origin ? ` (${ltr(d.origin)})` : ''}. أضف ${d.origin ? ltr(d.origin) : 'أصلها'} إلى ${ltr('ALLOWED_ORIGINS')} على الخادم.`,
      'room-full': 'هذه الغرفة ممتلئة. حاول لاحقًا.',
      'join-failed': 'تعذّر الانضمام إلى المكالمة.',
      'peer-failed': 'فشل الاتصال بأحد المشاركين في المكالمة.',
      'protocol-error': 'رفض خادم المكالمة الطلب.',
      'resume-expired': 'انتهت صلاحية مكانك في المكالمة. انضم مجددًا.',
      'device-lost': (k) => `تم فصل ${k === 'audio' ? 'الميكروفون' : 'الكاميرا'}.`,
      'screen-share-failed': 'تعذّر بدء مشاركة الشاشة.',
      'signal-refused': 'رُفضت محاولة اتصال: لم تكن مختومة بمفتاح هذه الغرفة.',
      'token-required': 'هذه الغرفة تحتاج إلى دعوة.',
      'token-invalid': 'هذه الدعوة غير صالحة.',
      'token-expired': 'انتهت صلاحية هذه الدعوة.',
      'token-room': 'هذه الدعوة لغرفة أخرى.',
      removed: 'أزالك أحد المضيفين من المكالمة.',
      'room-locked': 'هذه الغرفة مقفلة.',
      'in-lobby': 'بانتظار أن يسمح لك المضيف بالدخول…',
      denied: 'لم يسمح لك المضيف بالدخول.',
      'not-allowed': 'لا يُسمح لك بذلك في هذه المكالمة.',
      'room-ended': 'انتهت المكالمة للجميع.',
    },
    'حدث خطأ ما.',
  ),
};
