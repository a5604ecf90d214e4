import { expect } from '@open-wc/testing';
import '../../src/define.js';
import { RtcRoom, RtcVideoTile, defineElement } from '../../src/index.js';

describe('define', () => {
  it('registers every tag, the provider first, and attaches one ContextRoot', () => {
    for (const tag of ['rtc-room', 'rtc-prejoin', 'rtc-video-tile', 'rtc-controls']) expect(customElements.get(tag), tag).to.exist;
    expect(customElements.get('rtc-room')).to.equal(RtcRoom);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('rtc-widgets/context-root')]).to.exist;
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
      class SameVersion extends RtcVideoTile {}
      class OtherVersion extends RtcVideoTile {
        static override readonly version = '99.0.0';
      }
      expect(() => defineElement('rtc-video-tile', SameVersion)).to.not.throw();
      expect(warnings).to.have.length(0);
      expect(() => defineElement('rtc-video-tile', OtherVersion)).to.not.throw();
      expect(warnings).to.have.length(1);
      expect(String(warnings[0][0])).to.contain('rtc-video-tile');
      expect(customElements.get('rtc-video-tile')).to.equal(RtcVideoTile);
    } finally {
      console.warn = warn;
    }
  });
});
