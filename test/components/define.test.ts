import { expect } from '@open-wc/testing';
import '../../src/define.js';
import { RtcPrejoin, RtcRoom, defineElement } from '../../src/index.js';
import { LAZY_TAGS } from '../../src/internal/lazy-elements.js';
import { waitFor } from '../helpers/wait.js';

describe('define', () => {
  it('registers the pre-join step at once, the provider first, and attaches one ContextRoot', () => {
    for (const tag of ['rtc-room', 'rtc-prejoin', 'rtc-device-picker']) expect(customElements.get(tag), tag).to.exist;
    expect(customElements.get('rtc-room')).to.equal(RtcRoom);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('rtc-widgets/context-root')]).to.exist;
  });

  it("keeps the boxes of a tile and a sized panel in the page's own layout before their chunks arrive: what is below them does not move", async () => {
    const host = document.createElement('div');
    host.style.width = '320px';
    host.innerHTML = '<rtc-video-tile></rtc-video-tile><rtc-participant-list style="height: 100px"></rtc-participant-list><button type="button">Join</button>';
    document.body.append(host);
    try {
      const tile = host.querySelector('rtc-video-tile') as HTMLElement & { updateComplete?: Promise<unknown> };
      const joinTop = () => host.querySelector('button')!.getBoundingClientRect().top - host.getBoundingClientRect().top;
      const before = joinTop();
      expect(customElements.get('rtc-video-tile'), 'measured before the tile chunk arrived').to.not.exist;
      expect(customElements.get('rtc-participant-list'), 'measured before the list chunk arrived').to.not.exist;
      expect(before, "Join sits below a 16:9 box and the list's 100 px already").to.be.closeTo(280, 1);
      await Promise.all([customElements.whenDefined('rtc-video-tile'), customElements.whenDefined('rtc-participant-list')]);
      const list = host.querySelector('rtc-participant-list') as HTMLElement & { updateComplete?: Promise<unknown> };
      await Promise.all([tile.updateComplete, list.updateComplete]);
      expect(tile.shadowRoot, 'the tile upgraded').to.exist;
      expect(list.shadowRoot, 'the list upgraded').to.exist;
      expect(joinTop(), 'Join did not move').to.be.closeTo(before, 1);
    } finally {
      host.remove();
    }
  });

  it("loads an element of the page's own layout when its tag appears, later too", async () => {
    expect(customElements.get('rtc-chat'), 'rtc-chat before any is in the page').to.not.exist;
    const host = document.createElement('div');
    host.innerHTML = '<section><rtc-chat></rtc-chat></section>';
    document.body.append(host);
    try {
      await customElements.whenDefined('rtc-chat');
      await waitFor(() => !!host.querySelector('rtc-chat')?.shadowRoot, 'the rtc-chat in the page upgraded');
      // Every lazy tag can be loaded the same way.
      for (const tag of Object.keys(LAZY_TAGS)) host.append(document.createElement(tag));
      await Promise.all(Object.keys(LAZY_TAGS).map((tag) => customElements.whenDefined(tag)));
    } finally {
      host.remove();
    }
  });

  it('running the define module again does not throw', async () => {
    // A second copy of the module (another URL), as when the script tag is on the page twice.
    // @ts-expect-error -- a query string makes it a distinct module instance
    await import('../../src/define.js?again');
    // @ts-expect-error -- idem
    await import('../../src/define.js?and-again');
    expect(customElements.get('rtc-room')).to.equal(RtcRoom);
  });

  it('skips a registered tag: silently for the same version, with a warning for another', () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      class SameVersion extends RtcPrejoin {}
      class OtherVersion extends RtcPrejoin {
        static override readonly version = '99.0.0';
      }
      expect(() => defineElement('rtc-prejoin', SameVersion)).to.not.throw();
      expect(warnings).to.have.length(0);
      expect(() => defineElement('rtc-prejoin', OtherVersion)).to.not.throw();
      expect(warnings).to.have.length(1);
      expect(String(warnings[0][0])).to.contain('rtc-prejoin');
      expect(customElements.get('rtc-prejoin')).to.equal(RtcPrejoin);
    } finally {
      console.warn = warn;
    }
  });
});
