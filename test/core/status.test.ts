/** The exported "in a call" checks (src/core/state/status.ts), over every status a session has. */
import { expect } from '@open-wc/testing';
import { isInCall, isJoiningOrInCall, type SessionStatus } from '../../src/core/index.js';

const ALL: SessionStatus[] = ['idle', 'joining', 'waiting', 'joined', 'reconnecting', 'left', 'failed', 'ended'];

describe('session status checks', () => {
  it('isInCall: joined, or reconnecting while the server is away', () => {
    expect(ALL.filter(isInCall)).to.deep.equal(['joined', 'reconnecting']);
    expect(isInCall(undefined)).to.equal(false);
  });

  it('isJoiningOrInCall: also joining, and waiting in the lobby', () => {
    expect(ALL.filter(isJoiningOrInCall)).to.deep.equal(['joining', 'waiting', 'joined', 'reconnecting']);
    expect(isJoiningOrInCall(undefined)).to.equal(false);
  });
});
