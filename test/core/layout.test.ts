import { expect } from '@open-wc/testing';
import { computeLayout, prunePins, togglePin, type LayoutParticipant } from '../../src/core/layout/layout.js';

const me: LayoutParticipant = { id: 'me', isLocal: true };
const ana: LayoutParticipant = { id: 'ana', isLocal: false };
const bob: LayoutParticipant = { id: 'bob', isLocal: false };
const sharing = (p: LayoutParticipant) => ({ ...p, screenSharing: true });
const base = { requested: 'grid' as const, pinned: null, activeSpeaker: null };

describe('layout (who is spotlighted)', () => {
  it('is a grid by default and when alone, even with a pin', () => {
    expect(computeLayout({ ...base, participants: [me, ana, bob] })).to.deep.equal({ mode: 'grid', spotlight: null, reason: null, pinned: null });
    expect(computeLayout({ ...base, participants: [me], pinned: 'me', requested: 'spotlight' })).to.include({ mode: 'grid', spotlight: null, pinned: 'me' });
  });

  it('spotlights a pinned participant in either layout, and ignores a pin of someone gone', () => {
    for (const requested of ['grid', 'spotlight'] as const) {
      expect(computeLayout({ ...base, requested, participants: [me, ana, bob], pinned: 'bob', activeSpeaker: 'ana' })).to.deep.equal({
        mode: 'spotlight',
        spotlight: 'bob',
        reason: 'pinned',
        pinned: 'bob',
      });
    }
    expect(computeLayout({ ...base, participants: [me, ana], pinned: 'gone' })).to.include({ mode: 'grid', pinned: null });
    // Pinning ourselves is allowed (e.g. to check our own picture).
    expect(computeLayout({ ...base, participants: [me, ana], pinned: 'me' })).to.include({ spotlight: 'me', reason: 'pinned' });
  });

  it('spotlights a remote screen share automatically, unless the user pinned someone else or undid it', () => {
    const participants = [me, ana, sharing(bob)];
    expect(computeLayout({ ...base, participants, activeSpeaker: 'ana' })).to.deep.equal({
      mode: 'spotlight',
      spotlight: 'bob',
      reason: 'screen-share',
      pinned: 'bob',
    });
    expect(computeLayout({ ...base, participants, pinned: 'ana' })).to.include({ spotlight: 'ana', reason: 'pinned' });
    expect(computeLayout({ ...base, participants, dismissed: new Set(['bob']) })).to.include({ mode: 'grid' });
    // Our own share stays in its tile.
    expect(computeLayout({ ...base, participants: [sharing(me), ana] })).to.include({ mode: 'grid' });
  });

  it('with two shares keeps the one already shown', () => {
    const participants = [me, sharing(ana), sharing(bob)];
    expect(computeLayout({ ...base, participants })).to.include({ spotlight: 'ana' });
    expect(computeLayout({ ...base, participants, previous: 'bob' })).to.include({ spotlight: 'bob' });
  });

  it('in the spotlight layout follows the active speaker, but never spotlights us for speaking', () => {
    const input = { ...base, requested: 'spotlight' as const, participants: [me, ana, bob] };
    expect(computeLayout({ ...input })).to.include({ mode: 'spotlight', spotlight: 'ana', reason: 'first' });
    expect(computeLayout({ ...input, activeSpeaker: 'bob' })).to.include({ spotlight: 'bob', reason: 'active-speaker', pinned: null });
    expect(computeLayout({ ...input, activeSpeaker: 'me', previous: 'bob' })).to.include({ spotlight: 'bob', reason: 'previous' });
    expect(computeLayout({ ...input, activeSpeaker: 'me' })).to.include({ spotlight: 'ana', reason: 'first' });
    expect(computeLayout({ ...input, activeSpeaker: 'gone', previous: 'gone' })).to.include({ spotlight: 'ana' });
    // In the grid layout the speaker changes nothing.
    expect(computeLayout({ ...input, requested: 'grid', activeSpeaker: 'bob' })).to.include({ mode: 'grid' });
  });

  it('togglePin pins, unpins, and undoes an automatic share pin until that share ends', () => {
    const participants = [me, ana, sharing(bob)];
    const none = { pinned: null, dismissed: new Set<string>() };
    const pinnedAna = togglePin(none, 'ana', 'bob', participants);
    expect(pinnedAna.pinned).to.equal('ana');
    expect(togglePin(pinnedAna, 'ana', 'ana', participants).pinned).to.equal(null);

    // Unpinning the automatic share pin: the grid comes back while Bob shares.
    const undone = togglePin(none, 'bob', 'bob', participants);
    expect(undone.pinned).to.equal(null);
    expect([...undone.dismissed]).to.deep.equal(['bob']);
    expect(computeLayout({ ...base, participants, ...undone })).to.include({ mode: 'grid' });
    // Pinning Bob again by hand works; unpinning a hand-pinned sharer does not fall back to the auto pin.
    const again = togglePin(undone, 'bob', null, participants);
    expect(again).to.deep.include({ pinned: 'bob' });
    expect(again.dismissed.size).to.equal(0);
    const off = togglePin(again, 'bob', 'bob', participants);
    expect(computeLayout({ ...base, participants, ...off })).to.include({ mode: 'grid', pinned: null });

    // Bob stops sharing: the undo is forgotten, his next share is spotlighted again.
    const stopped = prunePins(undone, [me, ana, bob]);
    expect(stopped.dismissed.size).to.equal(0);
    expect(computeLayout({ ...base, participants, ...stopped })).to.include({ spotlight: 'bob' });
  });

  it('prunePins forgets a pin of someone who left and returns the same state when nothing changed', () => {
    const state = { pinned: 'ana', dismissed: new Set<string>() };
    expect(prunePins(state, [me, ana])).to.equal(state);
    expect(prunePins(state, [me, bob]).pinned).to.equal(null);
  });
});
