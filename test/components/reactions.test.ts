/**
 * Reactions and raised hands in the default `<rtc-room>` UI, through the real signaling server:
 * two rooms in one page stand for two people on different machines.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../helpers/define-all.js';
import { SocketIoTransport, type RtcRoom, type RtcSession } from '../../src/index.js';
import { signalUrl, uniqueRoom } from '../helpers/signaling.js';
import { channelsOpen, sessionSet } from '../helpers/sessions.js';
import { deep, waitFor } from './helpers.js';

const sr = (el: Element) => el.shadowRoot!;
const log = (el: RtcRoom) => [...sr(el).querySelectorAll('[role=log] > div')].map((d) => d.textContent);
const q = <T extends HTMLElement = HTMLElement>(el: RtcRoom, sel: string) => sr(el).querySelector<T>(sel)!;
/** The tile of `id` in `el` (ours: the local one). */
const tileOf = (el: RtcRoom, s: RtcSession, id: string) =>
  sr(el).querySelector(id === s.localId ? 'rtc-video-tile[local]' : `rtc-video-tile[participant-id="${id}"]`)!;
const floating = (tile: Element) => [...sr(tile).querySelectorAll('[part=reaction]')].map((r) => r.textContent);

describe('reactions and raised hands in <rtc-room> (real server)', function () {
  this.timeout(120_000);
  let url: string;
  let room: string;
  // Camera only (no microphone): enough for real tiles, light on a busy machine.
  const set = sessionSet(() => ({ room, transport: () => new SocketIoTransport(url), media: { audio: false, video: true }, devices: { storageKey: null } }), {
    linked: channelsOpen('control'),
    ignoreLeaveErrors: true,
  });
  beforeEach(async () => {
    url = await signalUrl();
    room = uniqueRoom('react-ui');
  });
  afterEach(() => set.leaveAll());

  /** Ada's room (she is in first: the host) and Bob's, both joined and connected. */
  async function twoRooms() {
    const ada = set.make('Ada');
    const bob = set.make('Bob');
    const box = await fixture<HTMLDivElement>(html`<div style="display: grid; grid-template-columns: 1fr 1fr; width: 1200px">
      <rtc-room .session=${ada}></rtc-room><rtc-room .session=${bob}></rtc-room>
    </div>`);
    const [adaRoom, bobRoom] = [...box.querySelectorAll('rtc-room')] as RtcRoom[];
    await adaRoom!.join();
    await bobRoom!.join();
    await set.connected(ada, [bob]);
    await set.connected(bob, [ada]);
    await waitFor(
      () => sr(adaRoom!).querySelectorAll('rtc-video-tile').length === 2 && sr(bobRoom!).querySelectorAll('rtc-video-tile').length === 2,
      'two tiles each',
    );
    return { ada, bob, adaRoom: adaRoom!, bobRoom: bobRoom! };
  }

  it('a reaction picked with the keyboard floats over the sender’s tile on both pages and is announced to the other', async () => {
    const { ada, bob, adaRoom, bobRoom } = await twoRooms();
    const toggle = q<HTMLButtonElement>(adaRoom, '[part~=reactions-toggle]');
    const menu = q(adaRoom, '#reactions-menu');
    expect(toggle.closest('.reactions')!.assignedSlot, 'in the control bar').to.exist;
    expect(toggle.getAttribute('aria-haspopup')).to.equal('menu');
    expect(toggle.getAttribute('aria-controls')).to.equal('reactions-menu');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(menu.hidden).to.equal(true);
    expect(menu.getAttribute('role')).to.equal('menu');
    const items = [...menu.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
    expect(items.map((i) => i.dataset.emoji)).to.deep.equal(['👍', '👏', '❤️', '😂', '😮', '🎉']);
    expect(items.map((i) => i.getAttribute('aria-label'))).to.include('Clapping');
    expect(
      items.every((i) => i.tabIndex === -1),
      'one Tab stop: the button',
    ).to.equal(true);
    const active = () => sr(adaRoom).activeElement;
    const heardByAda: unknown[] = [];
    const heardByBob: unknown[] = [];
    ada.on('reaction', (e) => heardByAda.push(e));
    bob.on('reaction', (e) => heardByBob.push(e));

    // ↓ opens it on the first item; →, End, Home move; Escape closes it and returns to the button.
    toggle.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitFor(() => toggle.getAttribute('aria-expanded') === 'true' && !menu.hidden, 'open');
    await waitFor(() => active() === items[0], 'focus on the first item');
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => active() === items[1], 'ArrowRight: the second');
    await sendKeys({ press: 'End' });
    await waitFor(() => active() === items[5], 'End: the last');
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => active() === items[0], 'ArrowRight wraps around');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => menu.hidden && toggle.getAttribute('aria-expanded') === 'false', 'closed by Escape');
    await waitFor(() => active() === toggle, 'focus back on the button');
    // ↑ opens it on the last item; Tab closes it.
    await sendKeys({ press: 'ArrowUp' });
    await waitFor(() => !menu.hidden, 'open again');
    await waitFor(() => active() === items[5], 'focus on the last item');
    await sendKeys({ press: 'Tab' });
    await waitFor(() => menu.hidden, 'closed by Tab');

    // Enter on the button opens it; ← from the first goes to the last; Home, →, Enter picks 👏.
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !menu.hidden && active() === items[0], 'open with Enter');
    await sendKeys({ press: 'ArrowLeft' });
    await waitFor(() => active() === items[5], 'ArrowLeft from the first: the last');
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => menu.hidden, 'a pick closes the menu');
    await waitFor(() => active() === toggle, 'focus back on the button');

    // Over Ada's tile on Bob's page, and over her own tile on hers.
    await waitFor(() => heardByBob.length, `Bob hears it (Ada heard ${JSON.stringify(heardByAda)})`);
    await waitFor(() => floating(tileOf(bobRoom, bob, ada.localId)).includes('👏'), '👏 over Ada’s tile at Bob');
    expect(floating(tileOf(adaRoom, ada, ada.localId))).to.deep.equal(['👏']);
    const layer = deep(tileOf(bobRoom, bob, ada.localId), '[part=reactions]')!;
    expect(layer.getAttribute('aria-hidden'), 'decorative: the announcer speaks').to.equal('true');
    await waitFor(() => log(bobRoom).includes('Ada reacted 👏'), 'announced at Bob');
    expect(log(adaRoom), 'our own is not announced back to us').to.not.include('Ada reacted 👏');
    // It goes away after a few seconds.
    await waitFor(() => floating(tileOf(bobRoom, bob, ada.localId)).length === 0, 'gone', 6000);
    await expect(adaRoom).shadowDom.to.be.accessible();
  });

  it('raised hands: toggle, tile badges, the queue in order in the other’s People list, and a host lowers a hand', async () => {
    const { ada, bob, adaRoom, bobRoom } = await twoRooms();
    const bobHand = q<HTMLButtonElement>(bobRoom, '[part~=hand-toggle]');
    const adaHand = q<HTMLButtonElement>(adaRoom, '[part~=hand-toggle]');
    expect(bobHand.getAttribute('aria-pressed')).to.equal('false');
    expect(bobHand.textContent!.trim()).to.equal('Raise hand');

    // Bob first, then Ada.
    bobHand.click();
    await waitFor(() => bobHand.getAttribute('aria-pressed') === 'true', 'Bob’s toggle pressed');
    await waitFor(() => ada.hands.get().length === 1, 'Ada hears Bob’s hand');
    adaHand.click();
    await waitFor(() => bob.hands.get().length === 2, 'Bob hears Ada’s hand');
    await waitFor(() => log(adaRoom).includes('Bob raised their hand'), 'announced at Ada');
    await waitFor(() => log(bobRoom).includes('Ada raised their hand'), 'announced at Bob');

    // Badges on the tiles, with the places.
    const badge = (el: RtcRoom, s: RtcSession, id: string) => deep(tileOf(el, s, id), '[part=hand-indicator]');
    await waitFor(() => badge(adaRoom, ada, bob.localId)?.textContent?.includes('1'), 'Bob’s badge: 1');
    expect(badge(adaRoom, ada, bob.localId)!.getAttribute('aria-label')).to.equal('Hand raised, number 1 in the queue');
    await waitFor(() => badge(bobRoom, bob, ada.localId)?.textContent?.includes('2'), 'Ada’s badge at Bob: 2');

    // The queue in the People lists, in order, numbered; only the host may lower Bob's hand.
    for (const el of [adaRoom, bobRoom]) q<HTMLButtonElement>(el, '[part~=people-toggle]').click();
    const list = (el: RtcRoom) => q(el, 'rtc-participant-list');
    const queue = (el: RtcRoom) =>
      [...sr(list(el)).querySelectorAll('[part=hand]')].map(
        (h) => `${h.querySelector('[part=hand-position]')!.textContent}. ${h.querySelector('.who')!.textContent}`,
      );
    await waitFor(() => queue(adaRoom).join('|') === '1. Bob|2. Ada (you)', 'the queue at Ada');
    await waitFor(() => queue(bobRoom).join('|') === '1. Bob (you)|2. Ada', 'the queue at Bob');
    const lowerButtons = (el: RtcRoom) => [...sr(list(el)).querySelectorAll<HTMLButtonElement>('[part~=lower-hand]')];
    expect(lowerButtons(adaRoom).map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Lower Bob’s hand', 'Lower your hand']);
    expect(
      lowerButtons(bobRoom).map((b) => b.getAttribute('aria-label')),
      'a guest lowers only their own',
    ).to.deep.equal(['Lower your hand']);
    await expect(list(adaRoom)).shadowDom.to.be.accessible();

    // Ada (the host) lowers Bob's hand: his toggle, the queues and the badges follow; he is told.
    lowerButtons(adaRoom)[0]!.click();
    await waitFor(() => bobHand.getAttribute('aria-pressed') === 'false', 'Bob’s toggle released');
    await waitFor(() => log(bobRoom).includes('Ada lowered your hand'), 'Bob is told who lowered it');
    await waitFor(() => queue(adaRoom).join('|') === '1. Ada (you)' && queue(bobRoom).join('|') === '1. Ada', 'only Ada left in both queues');
    await waitFor(() => !badge(adaRoom, ada, bob.localId) && badge(bobRoom, bob, ada.localId)?.textContent?.includes('1'), 'badges follow');
    await waitFor(() => log(adaRoom).includes('Bob lowered their hand'), 'announced at Ada');

    // Ada lowers her own with the toggle.
    adaHand.click();
    await waitFor(() => bob.hands.get().length === 0 && !sr(list(bobRoom)).querySelector('[part=hands]'), 'no queue left');
    expect(adaHand.getAttribute('aria-pressed')).to.equal('false');
  });
});
