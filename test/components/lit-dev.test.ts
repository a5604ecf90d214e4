/**
 * lit's development build in Chromium's pages (test/harness/lit-dev-plugin.ts), the production
 * build in Firefox's, and a lit warning noted for the test that caused it (test/helpers/lit-warnings.ts).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../helpers/define-all.js';
import { LitElement } from 'lit';
import { takeLitWarnings } from '../helpers/lit-warnings.js';

const chromium = /Chrome\//.test(navigator.userAgent);

/** Sets a property in updated(): another update after the one that completed, which lit's development build warns about. */
class ChangeInUpdate extends LitElement {
  static override properties = { count: { type: Number } };
  declare count: number;
  constructor() {
    super();
    this.count = 0;
  }
  protected override updated(): void {
    if (this.count < 1) this.count++;
  }
}
customElements.define('lit-dev-change-in-update', ChangeInUpdate);

describe('lit development build', () => {
  it(`is what ${chromium ? 'Chromium' : 'Firefox'} runs: ${chromium ? 'development' : 'production'}`, () => {
    const issued = [...((globalThis as { litIssuedWarnings?: Set<string> }).litIssuedWarnings ?? [])];
    expect(
      issued.some((w) => w.startsWith('Lit is in dev mode')),
      'lit said it is in dev mode',
    ).to.equal(chromium);
  });

  it('notes a warning for the test that caused it (only the development build warns)', async () => {
    const el = await fixture<ChangeInUpdate>(html`<lit-dev-change-in-update></lit-dev-change-in-update>`);
    await el.updateComplete;
    expect(el.count).to.equal(1);
    const warnings = takeLitWarnings();
    if (chromium) expect(warnings.some((w) => w.includes('change-in-update'))).to.equal(true, JSON.stringify(warnings));
    else expect(warnings).to.deep.equal([]);
  });
});
