/**
 * Joining fast: prepare() connects and gets the join ready during the pre-join step, through the
 * real server; and a newcomer's offers go out before its call view is published.
 */
import { expect } from '@open-wc/testing';
import { RtcError, RtcSession, SocketIoTransport, type Participant, type SignalingTransport } from '../../src/core/index.js';
import { SIGNALING, signaling, signalUrl, uniqueRoom, type Signaling } from '../helpers/signaling.js';
import { connected } from '../helpers/sessions.js';
import { sleep, waitFor } from '../helpers/wait.js';

const sessions = new Set<RtcSession>();
const track = (s: RtcSession) => (sessions.add(s), s);
afterEach(async () => {
  await Promise.all([...sessions].map((s) => s.leave().catch(() => undefined)));
  sessions.clear();
});

/** A transport factory that remembers the transports it made. */
function counting(url: string) {
  const made: SocketIoTransport[] = [];
  return { made, transport: () => (made.push(new SocketIoTransport(url)), made.at(-1)!) };
}

describe('RtcSession.prepare() through the real server', function () {
  this.timeout(60000);
  let url: string;
  before(async () => (url = await signalUrl()));

  it('connects and fetches the ICE servers before join(); join() then uses that connection', async () => {
    const room = uniqueRoom('prepare');
    const bob = track(new RtcSession({ room, name: 'Bob', server: url }));
    await bob.join();
    const { made, transport } = counting(url);
    const ada = track(new RtcSession({ room, name: 'Ada', transport }));
    expect(ada.iceServers, 'none known before').to.deep.equal([]);
    await ada.startMedia();
    await ada.prepare();
    await ada.prepare(); // idempotent
    expect(made, 'one connection').to.have.length(1);
    expect(made[0]!.online, 'the socket is connected').to.equal(true);
    expect(made[0]!.connected, 'but not in the room').to.equal(false);
    expect(ada.status.get()).to.equal('idle');
    // The harness server hands out TURN with fresh credentials.
    const turn = ada.iceServers.find((s) => [s.urls].flat().some((u) => u.startsWith('turn:')));
    expect(turn?.username, 'TURN credentials known before join').to.be.a('string');
    expect(turn?.credential).to.be.a('string');
    await sleep(300); // what must not happen gets its chance: Bob hearing of Ada
    expect(
      bob.participants.get().map((p) => p.name),
      'a prepared socket is not a member',
    ).to.deep.equal(['Bob']);

    await ada.join();
    expect(made, 'no second connection').to.have.length(1);
    await connected(ada, [bob]);
    await connected(bob, [ada]);
    const config = ada.peerConnection(bob.localId)!.getConfiguration();
    expect(config.iceServers!.some((s) => [s.urls].flat().some((u) => u.startsWith('turn:')))).to.equal(true);
  });

  it('prepare() then leave(): the socket closes and nobody in the room ever sees us', async () => {
    const room = uniqueRoom('prepare-leave');
    const bob = track(new RtcSession({ room, name: 'Bob', server: url }));
    await bob.join();
    const joins: string[] = [];
    bob.on('peer-join', (p) => joins.push(p.name));
    const { made, transport } = counting(url);
    const ada = track(new RtcSession({ room, name: 'Ada', transport }));
    await ada.prepare();
    expect(made[0]!.online).to.equal(true);
    await ada.leave();
    expect(made[0]!.online, 'closed by leave()').to.equal(false);
    expect(ada.status.get()).to.equal('left');
    // A newcomer is told only about Bob.
    const cleo = track(new RtcSession({ room, name: 'Cleo', server: url }));
    await cleo.join();
    await connected(cleo, [bob]);
    expect(cleo.participants.get().map((p) => p.name)).to.deep.equal(['Cleo', 'Bob']);
    expect(joins).to.deep.equal(['Cleo']);
    // Prepared again and joined after leave(): a new connection, and in.
    await ada.prepare();
    expect(made, 'a new connection').to.have.length(2);
    await ada.join();
    await connected(ada, [bob, cleo]);
  });

  it('prepare() with an unreachable server resolves, and join() fails at once with a clear error', async function () {
    // Nothing listens on port 9 (discard): the connection failed during prepare(), so join() asks
    // the server's origin check at once, which fails too, instead of waiting 10 s for a welcome.
    this.timeout(40000);
    const ada = track(new RtcSession({ room: uniqueRoom('nowhere'), name: 'Ada', server: 'http://127.0.0.1:9' }));
    await ada.prepare(); // must not reject
    expect(ada.status.get()).to.equal('idle');
    const started = performance.now();
    const err = await ada.join().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RtcError);
    expect((err as RtcError).code).to.equal('server-unreachable');
    expect((err as RtcError).message).to.equal('Could not reach the call server at http://127.0.0.1:9. Is the server running, and is the port right?');
    expect((err as RtcError).details.url).to.equal('http://127.0.0.1:9');
    expect((err as RtcError).details.cause, 'the connection error as the cause').to.be.instanceOf(Error);
    // Well before the 10 s a join waits for a server that might still answer.
    expect(performance.now() - started, 'failed within 5 s').to.be.below(5000);
    expect(ada.status.get()).to.equal('failed');
  });

  it('a sealed room: prepared, then joined, the signals are sealed as before', async () => {
    const room = uniqueRoom('prepare-sealed');
    const roomKey = 'prepare-test-key';
    const bob = track(new RtcSession({ room, name: 'Bob', server: url, roomKey }));
    await bob.join();
    const ada = track(new RtcSession({ room, name: 'Ada', server: url, roomKey }));
    await ada.prepare();
    await ada.join();
    await connected(ada, [bob]);
    await connected(bob, [ada]);
  });
});

for (const kind of SIGNALING) {
  describe(`A newcomer's offers go out before its call view is published (${kind})`, function () {
    this.timeout(60000);
    let sig: Signaling;
    beforeEach(async () => (sig = await signaling(kind, 'offer-first')));

    it('the first published remote already has our offer set; peer-join still comes before join', async () => {
      const transport: () => SignalingTransport = sig.transport;
      const bob = track(new RtcSession({ room: sig.room, name: 'Bob', transport }));
      await bob.join();
      const ada = track(new RtcSession({ room: sig.room, name: 'Ada', transport }));
      await ada.prepare();
      const seen: string[] = [];
      ada.participants.subscribe((ps: Participant[]) => {
        for (const p of ps) {
          if (p.isLocal || seen.length) continue;
          seen.push(ada.peerConnection(p.id)?.signalingState ?? 'no link');
        }
      });
      const statusAt: string[] = [];
      ada.on('status', (s) => s === 'joined' && statusAt.push(ada.peerConnection(bob.localId)?.signalingState ?? 'no link'));
      const events: string[] = [];
      ada.on('peer-join', (p) => events.push(`peer-join ${p.name}`));
      ada.on('join', () => events.push('join'));
      await ada.join();
      expect(seen, 'offer set when the remote is first published').to.deep.equal(['have-local-offer']);
      expect(statusAt[0], 'the offer is out before the status says joined').to.be.oneOf(['have-local-offer', 'stable']);
      expect(events).to.deep.equal(['peer-join Bob', 'join']);
      await connected(ada, [bob]);
      await connected(bob, [ada]);
      const stats = ada.negotiationStats(bob.localId)!;
      expect(stats.offersSent, 'one offer, not one more on negotiationneeded').to.equal(1);
      await waitFor(() => ada.peerConnection(bob.localId)?.signalingState === 'stable', 'stable');
      expect(sig.serverErrors).to.deep.equal([]);
    });
  });
}
