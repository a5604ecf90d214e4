/**
 * Honest chat through the real signaling server and the built bundle, on the demo page's default
 * `<rtc-room>` UI: Tina (Firefox) and Mal (Chromium) are in a call; Mal's page is hostile and, the
 * moment Ann (Chromium) joins, hands Ann "history" in which Tina — still in the call — says things
 * she never said (unsigned, and signed with a key that is not Tina's). Nobody said anything before
 * Ann came, so Mal's is the only history Ann is offered: it must be dropped for what it is (no
 * signature, wrong key), and Ann must show only what Tina and Mal then say live. (Genuine history,
 * marked as relayed: test/components/rtc-chat.test.ts and test/core/chat.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { e2eFixture } from './helpers/fixture.js';
import { inPage, openPeer, uniqueRoom, waitFor, type Peer } from './helpers/call.js';
import { onPages, channelsOpen, expectMessages, openChat, recordCallEvents, say } from './helpers/chat.js';

describe('forged chat history between Chromium and Firefox', () => {
  const e2e = e2eFixture({ firefox: true });

  it('a member cannot make a newcomer see words under another present member’s name', { timeout: 150_000 }, async (t) => {
    // Cameras without microphones: the test is about chat (as in helpers/chat.ts chatCall).
    const url = `${e2e.server.url}/?room=${uniqueRoom('forgery')}&media=video`;
    const list: Peer[] = [];
    await onPages(t, list, async () => {
      const tina = await openPeer(e2e.firefox.browser, url, { label: 'firefox-tina' });
      list.push(tina);
      const mal = await openPeer(e2e.chromium.browser, url, { label: 'chromium-mal' });
      list.push(mal);
      await tina.join('Tina');
      await mal.join('Mal');
      await Promise.all([channelsOpen(tina), channelsOpen(mal)]);
      await Promise.all(list.map((p) => recordCallEvents(p)));
      await openChat(tina);
      await openChat(mal);

      // Mal's page: as soon as a newcomer's chat channel is open, forge history in Tina's name.
      await inPage(
        mal.page,
        `(() => {
          const s = __e2e.room().session;
          const tinaId = s.participants.get().find((p) => !p.isLocal).id;
          const done = new Set();
          const b64 = (u) => btoa(String.fromCharCode(...u)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
          const forge = async (peerId) => {
            const ch = s.dataChannel(peerId, 'chat');
            const now = Date.now();
            ch.send(JSON.stringify({ t: 'hist', id: 'forged1', from: tinaId, name: 'Tina', time: now, text: 'FORGED: I owe Mal 100 €' }));
            const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
            const key = b64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
            const text = 'FORGED: fire Ann';
            const signed = new TextEncoder().encode(JSON.stringify(['rtc-widgets chat 1', s.room, tinaId, 'forged2', now, text]));
            const sig = b64(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, signed)));
            ch.send(JSON.stringify({ t: 'hist', id: 'forged2', from: tinaId, name: 'Tina', time: now, text, key, sig }));
            globalThis.__forgedTo = peerId;
          };
          const check = () => {
            for (const p of s.participants.get()) {
              if (p.isLocal || p.id === tinaId || done.has(p.id) || s.dataChannel(p.id, 'chat')?.readyState !== 'open') continue;
              done.add(p.id);
              void forge(p.id);
            }
          };
          setInterval(check, 10);
          return true;
        })()`,
      );

      const ann = await openPeer(e2e.chromium.browser, url, { label: 'chromium-ann' });
      list.push(ann);
      await ann.join('Ann');
      await channelsOpen(ann, 2);
      await recordCallEvents(ann);
      await openChat(ann);
      await waitFor(() => inPage<string | null>(mal.page, `globalThis.__forgedTo ?? null`), { what: 'Mal forged history to Ann' });
      await say(tina, 'hello Ann');
      await expectMessages(ann, [{ name: 'Tina', text: 'hello Ann', local: false }]);
      await say(mal, 'hi Ann');
      // Only what Tina and Mal really said, live; nothing forged.
      await expectMessages(ann, [
        { name: 'Tina', text: 'hello Ann', local: false },
        { name: 'Mal', text: 'hi Ann', local: false },
      ]);
      const shown = await inPage<{ note: string | null; relayed: boolean[]; dropped: Record<string, number> }>(
        ann.page,
        `(() => {
          const root = __e2e.deepAll('rtc-chat')[0].shadowRoot;
          return {
            note: root.querySelector('[part~="relayed"]')?.textContent ?? null,
            relayed: [...root.querySelectorAll('[part~="message"]')].map((m) => m.classList.contains('relayed')),
            dropped: __e2e.room().session.chat.dropped,
          };
        })()`,
      );
      assert.equal(shown.note, null, 'no history shown');
      assert.deepEqual(shown.relayed, [false, false]);
      t.diagnostic(`dropped at Ann: ${JSON.stringify(shown.dropped)}`);
      assert.deepEqual(shown.dropped, { 'history-unsigned': 1, 'history-bad-key': 1 }, 'each forged entry dropped for what it is');
      for (const p of list) assert.deepEqual(await p.messages(), [], `${p.label}: no error shown`);
    });
  });
});
