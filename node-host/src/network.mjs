// Ports between the test and the guest, on v86's "fetch" network adapter: ARP, DHCP, DNS and a TCP
// stack emulated in JS (no relay process, no root). The guest is 192.168.86.100, the adapter plays
// the router 192.168.86.1, which the guest knows as host.v86unit.internal (its /etc/hosts).
//
//   host -> guest: per exposed guest port a listener on 127.0.0.1:<free port>; each accepted socket
//                  becomes adapter.connect(guestPort), bridged both ways.
//   guest -> host: a connection the guest opens to 192.168.86.1:<port> of an allowed host port is
//                  accepted and bridged to 127.0.0.1:<port>. Everything else is refused (reset): other
//                  ports, other addresses, the internet. The adapter's own HTTP listener (port 80 to
//                  any address, fetched from the outside) is removed.
import net from "node:net";

export const GUEST_ADDRESS = "192.168.86.100";
export const HOST_ADDRESS = "192.168.86.1";
/**
 * The adapter's TCP stack keeps one segment in flight and waits for its ACK, so the segment size
 * is what bounds throughput (0.5-0.8 MB/s at 1500). The guest takes it as the device MTU.
 * Measured (see README "Measured"): larger segments carry more per round trip.
 */
export const MTU = 16384;
/** Past this much host data not yet acknowledged by the guest, the host socket is paused. */
const SEND_HIGH = 512 * 1024;
const SEND_LOW = 128 * 1024;
/** A guest that does not answer a connection attempt (nothing there, or no network up). */
const CONNECT_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 2_000;

/** The emulator options of a machine with a network device. */
export function networkDevice() {
    return { type: "virtio", relay_url: "fetch", mtu: MTU, router_ip: HOST_ADDRESS, vm_ip: GUEST_ADDRESS };
}

export class Network {
    /**
     * @param emulator a V86 with a fetch network adapter, loaded
     * @param log      writes a line to the host's stderr
     */
    constructor(emulator, log = () => {}) {
        this.emulator = emulator;
        this.adapter = emulator.network_adapter;
        if (!this.adapter || typeof this.adapter.connect !== "function") throw new Error("the machine has no fetch network adapter");
        this.log = log;
        /** guest port -> net.Server on 127.0.0.1 */
        this.listeners = new Map();
        /** host ports the guest may reach */
        this.allowed = new Set();
        /** open bridges, to close at a restore */
        this.bridges = new Set();
        this.stats = { accepted: 0, refused: 0, dialled: 0 };
        denyByDefault(emulator, this.adapter);
        patchTcpConnections(this.adapter);
        emulator.add_listener("tcp-connection", (conn) => this.onGuestConnection(conn));
    }

    /**
     * Listens on 127.0.0.1 for a guest port (again: the same listener). @param wanted a host port to
     * take if it is free (a machine re-created in a new process keeps its ports), 0 for any.
     * @return the host port
     */
    async expose(guestPort, wanted = 0) {
        checkPort(guestPort, "guest port");
        const existing = this.listeners.get(guestPort);
        if (existing) return existing.address().port;
        const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => this.bridgeIn(guestPort, socket));
        server.on("error", (error) => this.log(`listener for guest port ${guestPort}: ${error.message}`));
        const listen = (port) => new Promise((resolve, reject) => {
            const failed = (error) => reject(error);
            server.once("error", failed);
            server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
                server.off("error", failed);
                resolve();
            });
        });
        try {
            await listen(wanted);
        } catch (error) {
            if (wanted === 0) throw error;
            await listen(0);
        }
        this.listeners.set(guestPort, server);
        return server.address().port;
    }

    /** Lets the guest reach 127.0.0.1:port as host.v86unit.internal:port. */
    allow(hostPort) {
        checkPort(hostPort, "host port");
        this.allowed.add(hostPort);
    }

    /** @return true if something in the guest accepts connections on the port (a SYN probe, no data). */
    async probe(guestPort) {
        checkPort(guestPort, "guest port");
        let timer;
        const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve("no answer"), PROBE_TIMEOUT_MS); });
        const answer = await Promise.race([this.adapter.tcp_probe(guestPort).then((open) => (open ? "open" : "refused")), timeout]);
        clearTimeout(timer);
        return answer;
    }

    /** The guest went back to a saved state: its side of every open connection is gone. */
    dropConnections() {
        for (const bridge of [...this.bridges]) bridge.abort();
        for (const conn of Object.values(this.adapter.tcp_conn)) conn.release();
    }

    /** Closes every listener and connection (the process ends, or the machine is shut down). */
    close() {
        this.dropConnections();
        for (const server of this.listeners.values()) server.close();
        this.listeners.clear();
    }

    /** {listeners: {guestPort: hostPort}, connections, ...counters} */
    describe() {
        const listeners = {};
        for (const [guestPort, server] of this.listeners) listeners[guestPort] = server.address()?.port;
        return { listeners, allowed: [...this.allowed], connections: this.bridges.size, ...this.stats };
    }

    bridgeIn(guestPort, socket) {
        this.stats.dialled++;
        let conn;
        try {
            conn = this.adapter.connect(guestPort);
        } catch (error) {
            this.log(`connect to guest port ${guestPort}: ${error.message}`);
            socket.resetAndDestroy();
            return;
        }
        new Bridge(this, socket, conn, false);
    }

    onGuestConnection(conn) {
        const dialled = conn.psrc.join(".");
        if (dialled === HOST_ADDRESS && this.allowed.has(conn.sport)) {
            this.stats.accepted++;
            conn.accept();
            const socket = net.connect({ port: conn.sport, host: "127.0.0.1", noDelay: true, allowHalfOpen: true });
            new Bridge(this, socket, conn, true);
        } else {
            // Not accepted: the adapter answers the SYN with a reset ("Connection refused").
            this.stats.refused++;
        }
    }
}

/**
 * One TCP connection between a host socket and the adapter's emulated one, with backpressure both
 * ways: host data waits in the adapter's send buffer (the host socket pauses past SEND_HIGH); guest
 * data the host socket cannot take yet closes the advertised window until it drains.
 */
class Bridge {
    constructor(network, socket, conn, established) {
        this.network = network;
        this.socket = socket;
        this.conn = conn;
        this.closed = false;
        this.window = conn.winsize || 64240;
        network.bridges.add(this);
        socket.on("error", () => {});
        /**
         * Host bytes that came before the guest's answer to our SYN (the adapter would send them in
         * "syn-sent"): kept here and written the moment the handshake completes, inside the
         * emulator's run that carried it. Pausing the socket instead cost a turn of Node's event
         * loop, which waits for the emulator's current run of the guest (3-10 ms measured).
         */
        this.early = established ? null : [];
        this.earlyBytes = 0;
        this.earlyEnd = false;
        if (!established) {
            this.timer = setTimeout(() => this.abort(), CONNECT_TIMEOUT_MS);
            conn.on("connect", () => {
                clearTimeout(this.timer);
                this.window = conn.winsize || this.window;
                const early = this.early;
                this.early = null;
                for (const chunk of early) conn.write(chunk);
                if (this.earlyEnd) conn.close();
                else if (socket.isPaused() && conn.send_buffer.length < SEND_HIGH) socket.resume();
            });
        }
        socket.on("data", (data) => {
            const bytes = new Uint8Array(data.buffer, data.byteOffset, data.length);
            if (this.early) {
                this.early.push(bytes);
                this.earlyBytes += bytes.length;
                if (this.earlyBytes > SEND_HIGH) socket.pause();
                return;
            }
            conn.write(bytes);
            if (conn.send_buffer.length > SEND_HIGH) socket.pause();
        });
        socket.on("end", () => {
            if (this.early) this.earlyEnd = true;
            else if (conn.state !== "closed") conn.close();
        });
        socket.on("close", (hadError) => {
            if (hadError) this.reset(); else if (!conn.in_active_close && conn.state !== "closed") conn.close();
            this.done();
        });
        socket.on("drain", () => this.openWindow());
        conn.on("data", (data) => {
            if (!socket.write(data)) conn.winsize = 0;
        });
        conn.on("shutdown", () => {
            // The guest sent FIN: half-close towards the host; the guest's side closes when the host's does.
            socket.end();
        });
        conn.on("close", () => {
            // Reset by the guest (or refused: nothing listens on the guest port).
            clearTimeout(this.timer);
            if (!socket.destroyed) socket.resetAndDestroy();
            this.done();
        });
        // The adapter's ACK handling frees its send buffer: resume the host socket below SEND_LOW.
        const process = conn.process;
        conn.process = (packet) => {
            process.call(conn, packet);
            if (socket.isPaused() && conn.state === "established" && conn.send_buffer.length < SEND_LOW) socket.resume();
            if (conn.state === "closed") this.done();
        };
    }

    openWindow() {
        if (this.conn.winsize === 0 && this.conn.state !== "closed") {
            this.conn.winsize = this.window;
            sendSegment(this.network.adapter, this.conn, ACK, this.window);
        }
    }

    /** Resets the guest's side (the host side failed). */
    reset() {
        if (this.conn.state !== "closed") {
            sendSegment(this.network.adapter, this.conn, RST | ACK, 0);
            this.conn.release();
        }
    }

    /** Both sides reset now (a restore: the guest's side is gone with the old state). */
    abort() {
        clearTimeout(this.timer);
        this.reset();
        if (!this.socket.destroyed) this.socket.resetAndDestroy();
        this.done();
    }

    done() {
        // The guest's side is gone (after a FIN exchange v86 releases it without an event): end ours.
        if (!this.closed && this.conn.state === "closed" && !this.socket.destroyed) this.socket.end();
        if (!this.closed && (this.socket.destroyed || this.conn.state === "closed")) {
            if (this.socket.destroyed && this.conn.state !== "closed" && !this.conn.in_active_close) this.conn.close();
            if (this.conn.state === "closed" || this.socket.destroyed) {
                this.closed = true;
                this.network.bridges.delete(this);
            }
        }
    }
}

/**
 * Fixes to v86's TCPConnection (not exported: its prototype is taken from the first connection
 * the adapter files, before that one sends anything):
 * - its SYN (host -> guest connections) carries no MSS option, so the guest would send at most 536
 *   bytes per segment on them (its replies: a web page, a query result): connect() announces the
 *   full segment size;
 * - it sends one segment and waits for its ACK (0.2-0.8 MB/s host -> guest, measured): pump()
 *   keeps up to IN_FLIGHT bytes in flight within the guest's window, and sends again from the first
 *   unacknowledged byte on a duplicate ACK or after RETRANSMIT_MS without progress, and probes a
 *   closed window (it never
 *   retransmitted at all);
 * - a segment that carries data and FIN together (Linux sends one when a server writes its last
 *   bytes and closes at once, as busybox httpd does) lost its data: process() hands the data on first.
 */
function patchTcpConnections(adapter) {
    const plain = adapter.tcp_conn;
    adapter.tcp_conn = new Proxy(plain, {
        set(target, tuple, conn) {
            target[tuple] = conn;
            adapter.tcp_conn = target;
            const prototype = Object.getPrototypeOf(conn);
            if (!prototype.v86unitSyn) {
                prototype.v86unitSyn = true;
                prototype.connect = function () {
                    // as v86's TCPConnection.connect, plus the MSS option, a fresh initial sequence
                    // number and a SYN sent again until answered
                    const isn = nextInitialSequence();
                    this.seq = isn + 1;
                    this.ack = 1;
                    this.start_seq = 0;
                    this.winsize = 64240;
                    if (this.state !== "syn-probe") this.state = "syn-sent";
                    sendSyn(this, isn);
                };
                prototype.pump = pumpWindow;
                const release = prototype.release;
                prototype.release = function () {
                    // the next connection, maybe on this one's ports, starts beyond what this one sent
                    noteFinalSequence(this.seq);
                    return release.call(this);
                };
                const process = prototype.process;
                prototype.process = function (packet) {
                    if ((this.state === "syn-sent" || this.state === "syn-probe") && packet.tcp.ack && !packet.tcp.syn && !packet.tcp.rst) {
                        // Not an answer to our SYN: the guest still has an older connection on these
                        // ports (TIME_WAIT) and acknowledges that one. RFC 793: reset it (which ends
                        // the guest's TIME_WAIT), then try again.
                        sendSegment(this.net, this, RST, 0, { seq: packet.tcp.ackn, ack: 0 });
                        sendSyn(this, this.seq - 1);
                        return;
                    }
                    noteAck(this, packet);
                    const data = packet.tcp_data;
                    if (packet.tcp.fin && !packet.tcp.rst && data?.length && packet.tcp.seq === this.ack && OPEN_FOR_DATA.has(this.state)) {
                        // the FIN branch then acknowledges data and FIN together
                        this.ack += data.length;
                        this.emit("data", data);
                    }
                    return process.call(this, packet);
                };
            }
            return true;
        },
    });
}

/**
 * Initial sequence numbers of host -> guest connections. v86 starts every connection at 1337 and
 * picks a random source port; when a port comes round again within a minute the guest still holds
 * the old connection in TIME_WAIT and takes a SYN on the same ports as a new connection only if its
 * sequence number lies beyond the old one's (RFC 6191; measured: 17 of 1,000 sequential connections
 * hung that way). Each connection here starts past where every earlier one ended. v86's arithmetic
 * does not wrap sequence numbers, so they stay far below 2^32 (a host process would have to send
 * about 4 GB into its guest before they reach it).
 */
let sequenceFloor = 1337;

function nextInitialSequence() {
    sequenceFloor += 1;
    return sequenceFloor;
}

function noteFinalSequence(seq) {
    // the FIN takes one number, and the next connection must start past it
    if (Number.isFinite(seq) && seq + 1 > sequenceFloor) sequenceFloor = seq + 1;
}

/** A SYN with the MSS option; if the connection is still waiting for its answer after a while, again. */
function sendSyn(conn, isn, delay = SYN_RETRY_MS) {
    clearTimeout(conn.synTimer);
    sendSegment(conn.net, conn, SYN, 64240, { seq: isn, ack: 0, mss: conn.mtu - 40 });
    conn.synTimer = setTimeout(() => {
        if (conn.net.tcp_conn[conn.tuple] === conn && (conn.state === "syn-sent" || conn.state === "syn-probe")) sendSyn(conn, isn, delay * 2);
    }, delay);
    conn.synTimer.unref?.();
}

/**
 * Removes the adapter's own tcp-connection listener: it accepts port 80 to any address and fetch()es
 * the request from the outside. Without it every connection nobody accepts is reset.
 */
function denyByDefault(emulator, adapter) {
    for (const bus of [emulator.bus, adapter.bus, adapter.bus?.pair]) {
        const listeners = bus?.listeners?.["tcp-connection"];
        if (listeners) bus.listeners["tcp-connection"] = listeners.filter((l) => l.this_value !== adapter);
    }
    adapter.fetch = () => Promise.reject(new Error("v86unit: the guest has no internet access"));
}

function checkPort(port, what) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${what} ${port} is not a TCP port (1-65535)`);
}

/** Bytes sent to the guest and not yet acknowledged, at most (the guest's window bounds it too). */
const IN_FLIGHT = 64 * 1024;
/** States in which the guest may still send data (we may have closed our side already). */
const OPEN_FOR_DATA = new Set(["established", "fin-wait-1", "fin-wait-2"]);
const RETRANSMIT_MS = 300;
/** A SYN the guest did not answer (its listen queue was full, or an older connection was in the way). */
const SYN_RETRY_MS = 500;
const PSH = 0x08;

function pumpWindow() {
    const state = this.state;
    if (state === "closed" || state === "syn-sent" || state === "syn-probe" || state === "syn-received") return;
    const buffered = this.send_buffer.length;
    if (this.sentEnd === undefined || this.sentEnd < this.seq) this.sentEnd = this.seq;
    let inFlight = Math.min(this.sentEnd - this.seq, buffered);
    const window = Math.min(this.peerWindow ?? 65535, IN_FLIGHT);
    const mss = this.mtu - 40;
    while (inFlight < buffered && inFlight < window) {
        const size = Math.min(buffered - inFlight, mss, window - inFlight);
        const data = new Uint8Array(size);
        peekAt(this.send_buffer, inFlight, data);
        sendSegment(this.net, this, ACK | PSH, this.winsize, { seq: this.seq + inFlight, data });
        inFlight += size;
    }
    this.sentEnd = this.seq + inFlight;
    this.pending = inFlight > 0;
    if (this.pending || inFlight < buffered) {
        // Data in flight, or waiting for the guest's window to open: if nothing moves, send again
        // from the first unacknowledged byte, or probe the closed window (an old sequence number,
        // which the guest answers with an ACK carrying its window), as a TCP sender's persist timer.
        if (!this.retransmitTimer) {
            const seq = this.seq;
            this.retransmitTimer = setTimeout(() => {
                this.retransmitTimer = null;
                if (this.state === "closed") return;
                if (this.seq === seq) {
                    if (this.sentEnd > this.seq) this.sentEnd = this.seq;
                    else sendSegment(this.net, this, ACK, this.winsize, { seq: this.seq - 1 });
                }
                this.pump();
            }, RETRANSMIT_MS);
            this.retransmitTimer.unref?.();
        }
    } else if (this.retransmitTimer) {
        clearTimeout(this.retransmitTimer);
        this.retransmitTimer = null;
    }
}

/** The guest's window, and a duplicate ACK (a segment was lost: send again from the first unacknowledged byte). */
function noteAck(conn, packet) {
    const tcp = packet.tcp;
    if (!tcp.syn) conn.peerWindow = tcp.winsize;
    if (tcp.ack && !tcp.syn && !tcp.fin && !packet.tcp_data?.length && conn.sentEnd > conn.seq && tcp.ackn === conn.last_received_ackn) {
        conn.duplicateAcks = (conn.duplicateAcks ?? 0) + 1;
        if (conn.duplicateAcks >= 2) {
            conn.duplicateAcks = 0;
            conn.sentEnd = conn.seq;
        }
    } else if (tcp.ackn !== conn.last_received_ackn) {
        conn.duplicateAcks = 0;
        if (conn.retransmitTimer) {
            clearTimeout(conn.retransmitTimer);
            conn.retransmitTimer = null;
        }
    }
}

/** Copies bytes of a v86 GrowableRingbuffer from an offset past its first unread byte. */
function peekAt(ring, offset, target) {
    const capacity = ring.buffer.length;
    let from = (ring.tail + offset) % capacity;
    let copied = 0;
    while (copied < target.length) {
        const run = Math.min(target.length - copied, capacity - from);
        target.set(ring.buffer.subarray(from, from + run), copied);
        copied += run;
        from = (from + run) % capacity;
    }
}

const ACK = 0x10;
const RST = 0x04;
const SYN = 0x02;

/**
 * A bare TCP segment from the adapter to the guest (a reset, a window update): the adapter has no
 * method for either. Ethernet + IPv4 + TCP headers, checksums included.
 */
function sendSegment(adapter, conn, flags, window, { seq = conn.seq, ack = conn.ack, mss, data } = {}) {
    const tcpLength = mss ? 24 : 20;
    const dataLength = data ? data.length : 0;
    const frame = new Uint8Array(14 + 20 + tcpLength + dataLength);
    const view = new DataView(frame.buffer);
    frame.set(conn.hdest, 0);
    frame.set(conn.hsrc, 6);
    view.setUint16(12, 0x0800);
    const ip = 14;
    view.setUint8(ip, 0x45);
    view.setUint16(ip + 2, 20 + tcpLength + dataLength);
    view.setUint16(ip + 6, 0x4000);
    view.setUint8(ip + 8, 64);
    view.setUint8(ip + 9, 6);
    frame.set(conn.psrc, ip + 12);
    frame.set(conn.pdest, ip + 16);
    view.setUint16(ip + 10, checksum(frame.subarray(ip, ip + 20), 0));
    const tcp = ip + 20;
    view.setUint16(tcp, conn.sport);
    view.setUint16(tcp + 2, conn.dport);
    view.setUint32(tcp + 4, seq >>> 0);
    view.setUint32(tcp + 8, ack >>> 0);
    view.setUint8(tcp + 12, (tcpLength / 4) << 4);
    view.setUint8(tcp + 13, flags);
    view.setUint16(tcp + 14, Math.min(window, 65535));
    if (mss) {
        view.setUint8(tcp + 20, 2);
        view.setUint8(tcp + 21, 4);
        view.setUint16(tcp + 22, Math.min(mss, 65535));
    }
    // pseudo header: source, destination, protocol, TCP length
    let pseudo = 0;
    for (let i = 0; i < 4; i += 2) {
        pseudo += (conn.psrc[i] << 8) | conn.psrc[i + 1];
        pseudo += (conn.pdest[i] << 8) | conn.pdest[i + 1];
    }
    if (data) frame.set(data, tcp + tcpLength);
    pseudo += 6 + tcpLength + dataLength;
    view.setUint16(tcp + 16, checksum(frame.subarray(tcp), pseudo));
    adapter.receive(frame);
}

function checksum(bytes, initial) {
    let sum = initial;
    for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
    if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    return ~sum & 0xffff;
}
