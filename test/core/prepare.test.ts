/**
 * Joining fast: prepare() connects and gets the join ready during the pre-join step, through the
 * real server; and a new link's first exchange is done before either side publishes it (no render
 * holds up the offer, the answer or applying it).
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
    expect(bob.participants.get().map((p) => p.name), 'a prepared socket is not a member').to.deep.equal(['Bob']);

    await ada.join();
    expect(made, 'no second connection').to.have.length(1);
    await connected(ada, [bob]);
    await connected(bob, [ada]);
    const config = ada.peerConnection(bob.localId)!.getConfiguration();
    expect(config.iceServers!.some((s) => [s.urls].flat().some((u) => u.startsWith('turn:')))).to.equal(true);
  });

  it("a prepared join sends its request before the status says 'joining' (an unprepared one after)", async () => {
    const room = uniqueRoom('prepare-order');
    const bob = track(new RtcSession({ room, name: 'Bob', server: url }));
    await bob.join();
    const order: string[] = [];
    /** The real transport, noting when the join request goes out. */
    const noting = (): SignalingTransport => {
      const t = new SocketIoTransport(url);
      const join = t.join.bind(t);
      t.join = (r, n, o = {}) => join(r, n, { ...o, sent: () => (order.push('sent'), o.sent?.()) });
      return t;
    };
    const ada = track(new RtcSession({ room, name: 'Ada', transport: noting }));
    ada.on('status', (s) => order.push(s));
    await ada.startMedia();
    await ada.prepare();
    await ada.join();
    expect(order.slice(0, 3)).to.deep.equal(['sent', 'joining', 'joined']);
    await connected(ada, [bob]);

    order.length = 0;
    const cleo = track(new RtcSession({ room, name: 'Cleo', transport: noting }));
    cleo.on('status', (s) => order.push(s));
    await cleo.join(); // not prepared: 'joining' at once, while the devices open and the socket connects
    expect(order.slice(0, 3)).to.deep.equal(['joining', 'sent', 'joined']);
    await connected(cleo, [ada, bob]);
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

  it('prepare() with an unreachable server resolves, and join() fails with the usual clear error', async function () {
    // Port 9 (discard) has no socket.io: join() gives up after its 10 s wait for the server.
    this.timeout(40000);
    const ada = track(new RtcSession({ room: uniqueRoom('nowhere'), name: 'Ada', server: 'http://127.0.0.1:9' }));
    await ada.prepare(); // must not reject
    expect(ada.status.get()).to.equal('idle');
    const err = await ada.join().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RtcError);
    expect((err as RtcError).code).to.equal('signaling-failed');
    expect((err as RtcError).message).to.contain('Could not reach the call server');
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
  describe(`A new link is published once its first exchange is done (${kind})`, function () {
    this.timeout(60000);
    let sig: Signaling;
    beforeEach(async () => (sig = await signaling(kind, 'offer-first')));

    it('the first published remote already has our offer answered (theirs: our answer sent); peer-join still comes before join', async () => {
      const transport: () => SignalingTransport = sig.transport;
      const bob = track(new RtcSession({ room: sig.room, name: 'Bob', transport }));
      await bob.join();
      // Bob, already there, publishes Ada only once his answer to her offer is out.
      const bobSaw: string[] = [];
      bob.participants.subscribe((ps: Participant[]) => {
        const pc = ps.some((p) => !p.isLocal) && !bobSaw.length ? bob.peerConnection(ps.find((p) => !p.isLocal)!.id) : undefined;
        if (pc) bobSaw.push(`${pc.signalingState} ${pc.localDescription?.type ?? 'none'}`);
      });
      const bobJoins: string[] = [];
      bob.on('peer-join', (p) => bobJoins.push(`${p.name} ${bob.participants.get().some((x) => x.id === p.id)}`));
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
      expect(seen, 'offer answered when the remote is first published').to.deep.equal(['stable']);
      expect(statusAt[0], 'the answer is applied before the status says joined').to.equal('stable');
      expect(events).to.deep.equal(['peer-join Bob', 'join']);
      await waitFor(() => bobSaw.length > 0, 'Bob publishes Ada');
      expect(bobSaw, 'Bob answered before publishing Ada').to.deep.equal(['stable answer']);
      expect(bobJoins, "Bob's peer-join comes with Ada published").to.deep.equal(['Ada true']);
      await connected(ada, [bob]);
      await connected(bob, [ada]);
      const stats = ada.negotiationStats(bob.localId)!;
      expect(stats.offersSent, 'one offer, not one more on negotiationneeded').to.equal(1);
      await waitFor(() => ada.peerConnection(bob.localId)?.signalingState === 'stable', 'stable');
      expect(sig.serverErrors).to.deep.equal([]);
    });
  });
}
