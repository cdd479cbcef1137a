// v86unit node host: runs ONE v86 machine and speaks newline-delimited JSON with the JVM.
//
// stdin:  one request per line  {"id": 7, "op": "send", ...}
// stdout: one message per line  {"id": 7, "ok": true, ...} | {"id": 7, "ok": false, "error": "..."}
//                               {"event": "serial", "port": 0, "data": "<base64>"} | {"event": "stopped"}
// Requests are handled strictly in the order they arrive (a write followed by a send is never
// reordered), so the JVM may pipeline them. Bytes travel as base64. The process exits when its
// stdin closes, so a JVM that dies never leaves an emulator running. stdout carries the protocol
// only: anything else that v86 or Node prints goes to stderr.
import { createInterface } from "node:readline";
import { readFile, writeFile, rename, open, stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { gzip, gunzip } from "node:zlib";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { StreamScanner, WriteTap } from "./streams.mjs";
import { Network, networkDevice } from "./network.mjs";

/** 3: boot {network}, exposePort, allowHostPort, probePort; stats has network figures. */
export const PROTOCOL_VERSION = 3;

/** Returned by an operation that sends its answer itself, later (exec answers when the command ends). */
const ANSWERS_LATER = Symbol("answers later");

/** Where the guest's output forwarders write, as the host sees the share (see streams.mjs). */
const STDOUT_SINK = "/.v86unit/so";
const STDERR_SINK = "/.v86unit/se";

const out = process.stdout;
console.log = console.info = console.debug = console.warn = (...args) => process.stderr.write(args.join(" ") + "\n");

const here = dirname(fileURLToPath(import.meta.url));
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Past this much output not yet taken by the JVM, the guest is paused until the JVM catches up. */
const OUTPUT_BACKLOG = 4 * 1024 * 1024;
/** V86UNIT_HOST_TRACE=1: where each command's time goes, on stderr (the JVM logs it at DEBUG). */
const TRACE = process.env.V86UNIT_HOST_TRACE === "1";
let pausedForOutput = false;

function send(message) {
    out.write(JSON.stringify(message) + "\n");
    // Node keeps what the pipe does not take yet in memory: a guest that writes faster than the JVM
    // reads would grow it without bound. Pause the emulator instead, and go on once it drained.
    const emulator = host?.emulator;
    if (!pausedForOutput && emulator && out.writableLength > OUTPUT_BACKLOG) {
        pausedForOutput = true;
        emulator.stop();
        out.once("drain", () => {
            pausedForOutput = false;
            if (host.emulator === emulator) emulator.run();
        });
    }
}

/** Serial output is batched per port and flushed once the current burst of bytes is over. */
class SerialForwarder {
    constructor(port) {
        this.port = port;
        this.buffer = Buffer.allocUnsafe(64 * 1024);
        this.length = 0;
        this.scheduled = false;
    }
    push(byte) {
        if (this.length === this.buffer.length) this.flush();
        this.buffer[this.length++] = byte;
        // A newline ends the sentinel line the JVM waits for: flush at once to save a tick.
        if (byte === 10) {
            this.flush();
        } else if (!this.scheduled) {
            this.scheduled = true;
            setImmediate(() => this.flush());
        }
    }
    flush() {
        this.scheduled = false;
        if (this.length === 0) return;
        const data = this.buffer.toString("base64", 0, this.length);
        this.length = 0;
        send({ event: "serial", port: this.port, data });
    }
}

async function loadV86() {
    const { V86 } = await import(pathToFileURL(join(here, "libv86.mjs")).href);
    return V86;
}

// Load and compile the emulator as soon as the process starts, while the JVM is still getting the
// boot request ready: a restore from a snapshot is measured in a few hundred milliseconds, and this
// takes part of them off the critical path.
const v86Loaded = loadV86();
const wasmCompiled = readFile(join(here, "v86.wasm")).then((bytes) => WebAssembly.compile(bytes));
v86Loaded.catch(() => {});
wasmCompiled.catch(() => {});

/**
 * V86UNIT_HOST_TRACE: sums the time the emulator spends running the guest (its ticks, with the
 * device work done inside them, such as 9p writes and the output they carry).
 * @return {ms()}: the sum so far, including the tick running now
 */
function timeTicks(emulator) {
    const engine = emulator.v86;
    let done = 0;
    let start = -1;
    const busy = { ms: () => done + (start >= 0 ? performance.now() - start : 0) };
    if (!engine || typeof engine.do_tick !== "function") return busy;
    const tick = engine.do_tick.bind(engine);
    engine.do_tick = () => {
        start = performance.now();
        try {
            tick();
        } finally {
            done += performance.now() - start;
            start = -1;
        }
    };
    return busy;
}

/**
 * v86 in Node reschedules its main loop with setImmediate whenever the next guest timer is less
 * than 1 ms away, which keeps an idle guest burning ~30% of a core. Waiting with setTimeout for
 * any positive delay keeps command latency the same (measured) and lets idle machines sleep.
 */
function calmIdleLoop(emulator) {
    const engine = emulator.v86;
    if (!engine || typeof engine.yield !== "function" || typeof engine.yield_callback !== "function") return;
    engine.yield = function (delay, tick) {
        if (delay > 0) {
            setTimeout(() => this.yield_callback(tick), delay);
        } else {
            setImmediate(() => this.yield_callback(tick));
        }
    };
}

/** Where v86's load_kernel puts the initramfs; the kernel must end below it. */
const INITRD_ADDRESS = 64 * 1024 * 1024;

/**
 * The image's kernel proper (vmlinux, unpacked from the bzImage's payload at build time) goes straight
 * into guest memory, and the bzImage's setup code, which would jump to the decompressor, jumps to the
 * kernel's entry instead: the boot protocol's code32_start (0x214). What the setup code hands over
 * (flat 32-bit segments, the boot parameters in %esi) is what the decompressor hands over when the
 * kernel needs no relocation, which the image build checked (entry == pref_address). Skips ~3 s of
 * decompressing on the emulated CPU at every cold boot.
 */
function pointSetupAtKernel(bzimage, elf) {
    new DataView(bzimage).setUint32(0x214, elfView(elf).getUint32(24, true), true);
}

function elfView(elf) {
    const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
    if (elf.byteLength < 52 || view.getUint32(0, true) !== 0x464c457f || elf[4] !== 1) {
        throw new Error("the unpacked kernel is not a 32-bit ELF file");
    }
    return view;
}

function loadKernelElf(mem8, elf, limit) {
    const view = elfView(elf);
    const phoff = view.getUint32(28, true), size = view.getUint16(42, true), count = view.getUint16(44, true);
    for (let i = 0; i < count; i++) {
        const at = phoff + size * i;
        if (view.getUint32(at, true) !== 1) continue; // PT_LOAD
        const offset = view.getUint32(at + 4, true), paddr = view.getUint32(at + 12, true);
        const fileSize = view.getUint32(at + 16, true), memSize = view.getUint32(at + 20, true);
        if (paddr + memSize > limit || offset + fileSize > elf.byteLength) {
            throw new Error(`the unpacked kernel's segment at 0x${paddr.toString(16)} (${memSize} bytes) does not fit`
                + ` below 0x${limit.toString(16)} (guest memory or where v86 puts the initramfs)`);
        }
        mem8.set(elf.subarray(offset, offset + fileSize), paddr);
    }
}

class Host {
    constructor() {
        this.emulator = null;
        this.forwarders = [new SerialForwarder(0), new SerialForwarder(1)];
        /** Saved states kept in memory by name: the reset point ("base") and checkpoints. */
        this.slots = new Map();
        this.writeTap = null;
        /** The command in flight: {id, fail(message)}. */
        this.running = null;
        /** Ports between the test and the guest (network.mjs); null on a machine without a network device. */
        this.network = null;
    }

    tap() {
        if (!this.writeTap) this.writeTap = new WriteTap(this.fs());
        return this.writeTap;
    }

    requireEmulator() {
        if (!this.emulator) throw new Error("no machine: send 'boot' first");
        return this.emulator;
    }

    fs() {
        const fs = this.requireEmulator().fs9p;
        if (!fs) throw new Error("the machine has no 9p filesystem");
        return fs;
    }

    async boot(req) {
        if (this.emulator) throw new Error("the machine is already booted");
        const begin = performance.now();
        const [V86, wasm, savedState] = await Promise.all([v86Loaded, wasmCompiled, req.state ? readState(req.state) : null]);
        const prepared = performance.now();
        const image = async (path) => (path ? { buffer: toArrayBuffer(await readFile(path)) } : undefined);
        const config = {
            wasm_fn: async (imports) => (await WebAssembly.instantiate(wasm, imports)).exports,
            memory_size: req.memoryMb * 1024 * 1024,
            vga_memory_size: 2 * 1024 * 1024,
            bios: await image(req.bios),
            // The 9p share. Images with a root filesystem serve it from fs.json (v86's basefs format,
            // version 3) and a content-addressed folder of files, loaded lazily on first read. A
            // restored state carries the inodes itself and needs only the folder.
            filesystem: rootFilesystem(req),
            autostart: true,
            disable_keyboard: true,
            disable_mouse: true,
            disable_speaker: true,
            fastboot: true,
            uart1: true,
        };
        if (req.network) {
            // A state saved with the device carries its MAC address; without this v86 gives the NIC a
            // new random one and the guest, which keeps the old one, no longer gets its frames.
            config.net_device = networkDevice();
            config.preserve_mac_from_state_image = true;
        }
        if (savedState) {
            // v86 copies what it needs out of the buffer, so it can stay in a slot for resets
            const state = savedState.buffer;
            config.initial_state = { buffer: state };
            if (req.slot) this.slots.set(req.slot, state);
        } else {
            config.bzimage = await image(req.kernel);
            config.initrd = await image(req.initrd);
            config.cmdline = req.cmdline;
        }
        const kernelElf = !savedState && req.kernelElf ? await readFile(req.kernelElf) : null;
        if (kernelElf) {
            config.autostart = false; // the kernel goes into memory first
            pointSetupAtKernel(config.bzimage.buffer, kernelElf);
        }
        const emulator = new V86(config);
        this.emulator = emulator;
        for (const forwarder of this.forwarders) {
            emulator.add_listener(`serial${forwarder.port}-output-byte`, (byte) => forwarder.push(byte));
        }
        emulator.add_listener("emulator-stopped", () => send({ event: "stopped" }));
        await new Promise((resolve) => emulator.add_listener("emulator-loaded", resolve));
        // The forwarders' files exist before the guest can open them. The guest's forwarders create
        // them (O_CREAT) when they start, and the first command used to create them here when it came
        // first; but v86's 9p create (lcreate) makes a new inode even when the name exists, so a host
        // create between the guest's lookup and its lcreate left the host tapping one inode while the
        // forwarder wrote into another: the first command never ended (a cold boot's, once in CI).
        if (!savedState && emulator.fs9p) {
            for (const sink of [STDOUT_SINK, STDERR_SINK]) {
                if (emulator.fs9p.SearchPath(sink).id === -1) await this.writeFile({ path: sink, data: "" });
            }
        }
        if (kernelElf) {
            loadKernelElf(emulator.v86.cpu.mem8, kernelElf, Math.min(config.memory_size, INITRD_ADDRESS));
            emulator.run();
        }
        if (emulator.fs9p) fixSymlinks(emulator.fs9p);
        fillFidHoles(emulator.v86?.cpu?.devices?.virtio_9p);
        this.ninep = countRequests(emulator.v86?.cpu?.devices?.virtio_9p);
        this.jit = countCompiledCode(emulator.v86?.cpu);
        calmIdleLoop(emulator);
        if (TRACE) this.busy = timeTicks(emulator);
        if (req.network) this.network = new Network(emulator, (line) => process.stderr.write(`v86unit host: ${line}\n`));
        // Where the time of a start goes, for the JVM's log.
        return { v86: "0.5.462", processStartMs: begin, prepareMs: prepared - begin, loadMs: performance.now() - prepared };
    }

    send(req) {
        this.requireEmulator().serial_send_bytes(req.port ?? 0, Buffer.from(req.data, "base64"));
        return {};
    }

    /**
     * Runs one command: writes its script file if it has one, types its line on the console, streams
     * its stdout and stderr as "output" events while it runs, and answers {exitCode} once both
     * streams carried their end marker. Other requests go on meanwhile (an interrupt, for one).
     * req: {nonce, line (base64), sync, script?: {path, data (base64)}}
     */
    async exec(req) {
        const emulator = this.requireEmulator();
        this.abandon("a new command was started before it ended");
        if (req.script) await this.writeFile({ path: req.script.path, data: req.script.data });
        const tap = this.tap();
        const run = { id: req.id, open: 2, exitCode: 255, done: false, begin: performance.now(), marks: [], chunks: { o: 0, e: 0 } };
        run.fail = (message) => {
            if (run.done) return;
            run.done = true;
            send({ id: run.id, ok: false, error: message });
        };
        this.running = run;
        for (const [stream, path] of [["o", STDOUT_SINK], ["e", STDERR_SINK]]) {
            // Made at the cold boot (see boot), before the guest ran; every state this host loads was
            // saved after one (a snapshot's key holds this script's sha256). Never made here: a create
            // racing the guest's forwarder gave two files of one name. Missing, tap() says so.
            const scanner = new StreamScanner(req.nonce, req.sync === true,
                (chunk) => {
                    if (TRACE) run.chunks[stream]++;
                    send({ event: "output", exec: req.nonce, s: stream, data: chunk.toString("base64") });
                },
                (code) => {
                    if (TRACE) run.marks.push(`${stream} ${(performance.now() - run.begin).toFixed(2)} ms (${(emulator.get_instruction_counter() - run.instructions) >>> 0} guest instructions)`);
                    if (stream === "o") run.exitCode = code;
                    if (--run.open === 0 && !run.done) {
                        run.done = true;
                        if (this.running === run) this.running = null;
                        // Answer at once, from inside the 9p write that carried the marker: v86
                        // replies to that write only when its current run of the guest ends (up to
                        // 2.7 ms later, measured). Nothing the JVM may ask next needs that reply:
                        // save and restore stop the guest and settle pending 9p replies first.
                        send({ id: run.id, ok: true, exitCode: run.exitCode });
                        if (TRACE) process.stderr.write(`exec ${req.nonce}: typed ${run.typed.toFixed(2)} ms, ended ${run.marks.join(", ")}, output events ${run.chunks.o} + ${run.chunks.e}, answered ${(performance.now() - run.begin).toFixed(2)} ms, the guest ran ${(this.busy.ms() - run.busy).toFixed(2)} ms of it, JIT ${this.jit.compiled - run.jit.compiled} compiled ${this.jit.freed - run.jit.freed} freed ${this.jit.fullClears - run.jit.fullClears} cleared, 9p ${this.ninep.requests - run.ninep}\n`);
                    }
                });
            tap.tap(path, (chunk) => scanner.push(chunk));
        }
        if (TRACE) Object.assign(run, { instructions: emulator.get_instruction_counter(), busy: this.busy.ms(), jit: { ...this.jit }, ninep: this.ninep.requests });
        emulator.serial_send_bytes(0, Buffer.from(req.line, "base64"));
        run.typed = performance.now() - run.begin;
        return ANSWERS_LATER;
    }

    /** Fails the command in flight, if any: its answer will never come. */
    abandon(message) {
        if (this.running) {
            this.running.fail(message);
            this.running = null;
        }
    }

    /**
     * Prepares a background job's files on the share (its script, and its stdout, stderr and exit
     * code, which are tapped): output comes as "output" events with {job}, the exit as "jobExit".
     * req: {job, dir, script (base64)}
     */
    async spawn(req) {
        const tap = this.tap();
        await this.writeFile({ path: `${req.dir}/cmd`, data: req.script });
        for (const name of ["o", "e", "rc"]) {
            await this.writeFile({ path: `${req.dir}/${name}`, data: "" });
        }
        for (const stream of ["o", "e"]) {
            tap.tap(`${req.dir}/${stream}`, (chunk) => send({ event: "output", job: req.job, s: stream, data: chunk.toString("base64") }));
        }
        let code = "";
        tap.tap(`${req.dir}/rc`, (chunk) => {
            code += chunk.toString("latin1");
            if (code.length > 0) {
                const parsed = Number.parseInt(code, 10);
                send({ event: "jobExit", job: req.job, code: Number.isNaN(parsed) ? 255 : parsed });
                for (const name of ["o", "e", "rc"]) tap.untap(`${req.dir}/${name}`);
            }
        });
        return {};
    }

    /** Writes a file on the share ({@code data} base64, or {@code source}: a host file, never via the JVM). */
    async writeFile(req) {
        const fs = this.fs();
        const bytes = req.source ? await readFile(req.source) : Buffer.from(req.data ?? "", "base64");
        mkdirs(fs, dirname(req.path));
        let found = fs.SearchPath(req.path);
        if (found.id === -1) {
            await this.requireEmulator().create_file(req.path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
            found = fs.SearchPath(req.path);
        } else {
            if (fs.IsDirectory(found.id)) throw new Error(`${req.path} is a directory in the 9p share`);
            // Replace the contents of the existing inode: unlinking and re-creating it under a guest
            // that may still hold a fid for it corrupts v86's inode table.
            const data = new Uint8Array(bytes.length);
            data.set(bytes);
            await fs.set_data(found.id, data);
            const inode = fs.GetInode(found.id);
            inode.size = bytes.length;
            inode.mtime = Math.round(Date.now() / 1000);
        }
        if (req.mode !== undefined) setPermissions(fs, found.id, req.mode);
        return { size: bytes.length };
    }

    mkdir(req) {
        const fs = this.fs();
        const id = mkdirs(fs, req.path);
        if (req.mode !== undefined) setPermissions(fs, id, req.mode);
        return {};
    }

    symlink(req) {
        const fs = this.fs();
        const parent = mkdirs(fs, dirname(req.path));
        const name = req.path.split("/").filter((p) => p).pop();
        if (fs.Search(parent, name) !== -1) throw new Error(`${req.path} exists in the 9p share`);
        fs.CreateSymlink(name, parent, req.target);
        return {};
    }

    /** Everything below a folder of the share: [{path, type: "dir"|"file"|"symlink", mode, size, target}]. */
    list(req) {
        const fs = this.fs();
        const root = fs.SearchPath(req.path);
        if (root.id === -1) return { exists: false, entries: [] };
        const entries = [];
        const walk = (id, path) => {
            const inode = fs.GetInode(id);
            const type = (inode.mode & 0o170000) === 0o040000 ? "dir" : (inode.mode & 0o170000) === 0o120000 ? "symlink" : "file";
            entries.push({ path, type, mode: inode.mode & 0o7777, size: inode.size, target: type === "symlink" ? inode.symlink : undefined });
            if (type === "dir") {
                for (const [name, child] of [...inode.direntries.entries()].sort()) {
                    if (name !== "." && name !== "..") walk(child, path ? `${path}/${name}` : name);
                }
            }
        };
        walk(root.id, "");
        return { exists: true, entries };
    }

    async readFile(req) {
        const fs = this.fs();
        const found = fs.SearchPath(req.path);
        if (found.id === -1) return { exists: false };
        const inode = fs.GetInode(found.id);
        let bytes = Buffer.alloc(0);
        if (inode.size > 0) {
            const data = await fs.Read(found.id, 0, inode.size);
            bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
        }
        if (req.target) {
            await writeAtomically(req.target, bytes);
            return { exists: true, size: bytes.length };
        }
        return { exists: true, size: bytes.length, data: bytes.toString("base64") };
    }

    /**
     * Writes the share's whole tree as v86's fs.json (version 3) to `target`, atomically, and moves
     * every file whose content the guest wrote (held in memory) into the content-addressed `store`
     * folder (name = sha256), where the inode then reads it from, as it does for files that came from
     * fs.json: a configured root filesystem becomes a layer that later boots load lazily, and the
     * state saved afterwards no longer carries those files. Folders named in `skip` (relative to the
     * root) are left out and left alone. Device nodes, fifos and sockets are left out.
     */
    async exportTree(req) {
        const emulator = this.requireEmulator();
        const fs = this.fs();
        const skip = new Set(req.skip ?? []);
        await emulator.stop();
        await settle();
        let files = 0, moved = 0, movedBytes = 0, total = 0;
        try {
            const walk = async (id, path) => {
                const entries = [];
                const inode = fs.GetInode(id);
                for (const [name, child] of [...inode.direntries.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
                    if (name === "." || name === "..") continue;
                    const childPath = path ? `${path}/${name}` : name;
                    if (skip.has(childPath)) continue;
                    const node = fs.GetInode(child);
                    const type = node.mode & 0o170000;
                    const head = [name, node.size, node.mtime, node.mode, node.uid, node.gid];
                    if (type === 0o040000) {
                        entries.push([...head, await walk(child, childPath)]);
                    } else if (type === 0o120000) {
                        entries.push([name, Buffer.byteLength(node.symlink), node.mtime, node.mode, node.uid, node.gid, node.symlink]);
                    } else if (type === 0o100000) {
                        files++;
                        total += node.size;
                        const held = fs.inodedata[child];
                        if (held !== undefined || node.status !== 2 || !node.sha256sum) {
                            const bytes = held ? Buffer.from(held.buffer, held.byteOffset, node.size) : Buffer.alloc(0);
                            const sha = createHash("sha256").update(bytes).digest("hex");
                            await storeOnce(join(req.store, sha), bytes);
                            node.sha256sum = sha;
                            node.status = 2;
                            delete fs.inodedata[child];
                            moved++;
                            movedBytes += bytes.length;
                        }
                        entries.push([name, node.size, node.mtime, node.mode, node.uid, node.gid, node.sha256sum]);
                    }
                }
                return entries;
            };
            const fsroot = await walk(0, "");
            await writeAtomically(req.target, Buffer.from(JSON.stringify({ fsroot, version: 3, size: total })));
        } finally {
            await emulator.run();
        }
        return { files, moved, movedBytes, totalBytes: total };
    }

    /** Saves the machine's state into a memory slot, a gzip file (written atomically), or both. */
    async saveState(req) {
        const emulator = this.requireEmulator();
        const started = performance.now();
        // A 9p request the host is still answering (an intercepted write replies a microtask
        // later) would be saved unanswered and never answered after a restore: let it finish.
        await emulator.stop();
        await settle();
        const state = await emulator.save_state();
        await emulator.run();
        const saved = performance.now();
        if (req.slot) this.slots.set(req.slot, state);
        const result = { size: state.byteLength, saveMs: saved - started };
        if (req.path) {
            const packed = await packState(state);
            await writeAtomically(req.path, packed);
            result.compressedSize = packed.length;
            result.writeMs = performance.now() - saved;
        }
        return result;
    }

    /** Puts the machine back into a state kept in a slot, in this process. */
    async restoreState(req) {
        const emulator = this.requireEmulator();
        const state = this.slots.get(req.slot);
        if (!state) throw new Error(`no saved state '${req.slot}'; have: ${[...this.slots.keys()].join(", ") || "none"}`);
        this.abandon("the machine was restored to a saved state while the command ran");
        await emulator.stop();
        // Connections are not part of a state: both sides of each open one are reset.
        this.network?.dropConnections();
        // A 9p reply still on its way must land in the old state, not in the restored one.
        await settle();
        await keepingCompiledCode(emulator.v86?.cpu, () => emulator.restore_state(state));
        await emulator.run();
        return {};
    }

    dropState(req) {
        return { dropped: this.slots.delete(req.slot) };
    }

    stats() {
        const usage = process.resourceUsage();
        const handles = process.getActiveResourcesInfo();
        return {
            maxRssKb: usage.maxRSS, rssBytes: process.memoryUsage().rss,
            tcpHandles: handles.filter((h) => h === "TCPWrap" || h === "TCPServerWrap").length,
            network: this.network?.describe() ?? null,
            ninep: this.ninep ?? null,
            jit: this.jit ?? null,
        };
    }

    requireNetwork() {
        this.requireEmulator();
        if (!this.network) throw new Error("the machine has no network device (it was started without ports)");
        return this.network;
    }

    /** Listens on 127.0.0.1 for a guest port; req: {guestPort, hostPort?: wanted}; @return {hostPort} */
    async exposePort(req) {
        return { hostPort: await this.requireNetwork().expose(req.guestPort, req.hostPort ?? 0) };
    }

    /** Lets the guest reach 127.0.0.1:port as host.v86unit.internal:port; req: {port} */
    allowHostPort(req) {
        this.requireNetwork().allow(req.port);
        return {};
    }

    /** @return {state: "open" | "refused" | "no answer"} of a SYN probe to a guest port */
    async probePort(req) {
        return { state: await this.requireNetwork().probe(req.guestPort) };
    }

    async shutdown() {
        this.network?.close();
        if (this.emulator) {
            await this.emulator.destroy();
            this.emulator = null;
        }
        setImmediate(() => process.exit(0));
        return {};
    }
}

function rootFilesystem(req) {
    if (!req.rootfsStore) return {};
    const baseurl = req.rootfsStore.endsWith("/") ? req.rootfsStore : req.rootfsStore + "/";
    return req.state || !req.rootfs ? { baseurl } : { basefs: req.rootfs, baseurl };
}

/**
 * v86 0.5.462 creates symlinks with size 0 and mode 0 (`l---------`). Linux reports a symlink's size
 * as its target's length and programs rely on it: dpkg's update-alternatives reads a link with a
 * buffer of st_size bytes and fails with EINVAL when readlink returns more ("cannot stat file
 * '/etc/alternatives/pager': Invalid argument"), which broke util-linux's postinst. Give created
 * symlinks their real size and mode 0777, as Linux does.
 */
function fixSymlinks(fs) {
    const prototype = Object.getPrototypeOf(fs);
    if (prototype.v86unitSymlinksFixed) return;
    const create = prototype.CreateSymlink;
    prototype.CreateSymlink = function (name, parent, target) {
        const id = create.call(this, name, parent, target);
        const inode = this.inodes[id];
        if (inode && (inode.mode & 0o170000) === 0o120000) {
            inode.size = Buffer.byteLength(inode.symlink);
            inode.mode = 0o120777;
        }
        return id;
    };
    prototype.v86unitSymlinksFixed = true;
}

/**
 * v86 0.5.462 keeps the 9p fid table as an array indexed by the guest's fid numbers: a fid that never
 * got an entry (its walk failed while a higher one succeeded, with several guest processes at work)
 * leaves a hole. Saving keeps the hole and a restore reads it back as null, on which v86's set_state
 * throws ("Cannot read properties of null (reading '0')": BackgroundProcessIT, restoring a checkpoint
 * taken while background jobs ran). A hole is a fid the guest does not hold: save it, and read a null
 * back, as a clunked fid (what v86 itself leaves after a clunk).
 */
function fillFidHoles(virtio9p) {
    if (!virtio9p || !Array.isArray(virtio9p.fids)) return;
    const prototype = Object.getPrototypeOf(virtio9p);
    if (prototype.v86unitFidHolesFilled) return;
    const getState = prototype.get_state;
    prototype.get_state = function () {
        for (let fid = 0; fid < this.fids.length; fid++) {
            if (!this.fids[fid]) this.fids[fid] = this.Createfid(-1, -1, 0, "");
        }
        return getState.call(this);
    };
    const setState = prototype.set_state;
    prototype.set_state = function (state) {
        if (Array.isArray(state[8])) state[8] = Array.from(state[8], (fid) => fid ?? [-1, -1, 0, ""]);
        return setState.call(this, state);
    };
    prototype.v86unitFidHolesFilled = true;
}

/** 9P2000.L request types by number, for the 9p counts in stats. */
const NINEP_REQUESTS = {
    8: "statfs", 12: "lopen", 14: "lcreate", 16: "symlink", 18: "mknod", 22: "readlink", 24: "getattr", 26: "setattr",
    30: "xattrwalk", 40: "readdir", 50: "fsync", 52: "lock", 54: "getlock", 70: "link", 72: "mkdir", 74: "renameat",
    76: "unlinkat", 100: "version", 104: "attach", 108: "flush", 110: "walk", 116: "read", 118: "write", 120: "clunk",
};

/**
 * Counts the guest's 9p requests by type, and those that failed, since the host started (every
 * request gets exactly one reply, built by BuildReply; an error is a reply of type 6 + 1): what a
 * workload costs in 9p round trips, e.g. an interpreter's start from the root filesystem.
 * @return the counts, updated in place
 */
function countRequests(virtio9p) {
    const counts = { requests: 0, errors: 0 };
    if (!virtio9p || typeof virtio9p.BuildReply !== "function") return counts;
    onEachCall(virtio9p, "BuildReply", (type) => {
        counts.requests++;
        if (type === 6) counts.errors++;
        else {
            const name = NINEP_REQUESTS[type] ?? `type${type}`;
            counts[name] = (counts[name] ?? 0) + 1;
        }
    });
    return counts;
}

/**
 * Counts what v86's JIT does: modules compiled for guest code, modules freed (code overwritten, or
 * thrown away by a state load: v86 frees every module on one, see keepingCompiledCode), and how
 * often its table of 900 modules was full and it threw all of them away. A diagnostic: why the same
 * guest work runs at two speeds.
 * @return the counts, updated in place
 */
function countCompiledCode(cpu) {
    const counts = { compiled: 0, freed: 0, fullClears: 0 };
    if (!cpu || typeof cpu.codegen_finalize !== "function" || typeof cpu.jit_clear_all_funcs !== "function"
            || typeof cpu.jit_clear_func !== "function") return counts;
    onEachCall(cpu, "codegen_finalize", () => counts.compiled++);
    onEachCall(cpu, "jit_clear_func", () => counts.freed++);
    onEachCall(cpu, "jit_clear_all_funcs", () => counts.fullClears++);
    return counts;
}

/** Makes target[name] call hook with its arguments first (v86 calls these through the instance). */
function onEachCall(target, name, hook) {
    const original = target[name];
    target[name] = function (...args) {
        hook(...args);
        return original.apply(this, args);
    };
}

/**
 * Restores a state in this process without throwing away the code v86 compiled for the guest: v86
 * clears its whole JIT cache on every state load, and the guest's kernel and shell then run
 * interpreted until they are hot again (measured: exec("true") medians of 9-18 ms over the first
 * 100-300 commands after a reset, 3.3-4.2 ms once compiled). Compiled code stays valid for a page
 * whose bytes the load does not change; the pages it changes are invalidated the way a guest write
 * to code invalidates them (jit_dirty_cache). Comparing the pages costs a memcmp of guest memory.
 */
async function keepingCompiledCode(cpu, restore) {
    if (!cpu || typeof cpu.unpack_memory !== "function" || typeof cpu.jit_dirty_cache !== "function"
            || typeof cpu.jit_clear_cache !== "function") {
        return restore();
    }
    const unpack = cpu.unpack_memory;
    const clear = cpu.jit_clear_cache;
    let changed = null;
    cpu.unpack_memory = function (bitmap, packed) {
        const memory = this.mem8;
        const pages = this.memory_size[0] >>> 12;
        const zero = new Uint8Array(4096);
        changed = [];
        let next = 0;
        for (let page = 0; page < pages; page++) {
            const before = memory.subarray(page << 12, (page + 1) << 12);
            let after = zero;
            if (bitmap.get(page)) {
                after = packed.subarray(next << 12, (next + 1) << 12);
                next++;
            }
            if (Buffer.compare(before, after) !== 0) changed.push(page);
        }
        unpack.call(this, bitmap, packed);
    };
    cpu.jit_clear_cache = function () {
        if (changed === null) return clear.call(this);
        for (const page of changed) this.jit_dirty_cache(page << 12, (page + 1) << 12);
    };
    try {
        return await restore();
    } finally {
        cpu.unpack_memory = unpack;
        cpu.jit_clear_cache = clear;
    }
}

/** Lets pending microtasks and I/O callbacks (9p replies) run. */
function settle() {
    return new Promise((resolve) => setImmediate(resolve));
}

function toArrayBuffer(buffer) {
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length);
}

/**
 * Snapshot files: "V86UNIT-STATE-1\n", the part count and each part's raw and gzip sizes as
 * uint32 LE, then the parts, each an independent gzip member. Independent parts are (de)compressed
 * in parallel on libuv's thread pool: a whole-state gunzip alone took 100 ms of a 0.7 s restore.
 */
const STATE_MAGIC = Buffer.from("V86UNIT-STATE-1\n");
const STATE_PARTS = 4;

async function packState(state) {
    const bytes = Buffer.from(state);
    const partSize = Math.ceil(bytes.length / STATE_PARTS);
    const raw = [];
    for (let offset = 0; offset < bytes.length; offset += partSize) raw.push(bytes.subarray(offset, offset + partSize));
    const packed = await Promise.all(raw.map((part) => gzipAsync(part, { level: 1 })));
    const header = Buffer.alloc(4 + 8 * packed.length);
    header.writeUInt32LE(packed.length, 0);
    packed.forEach((part, i) => {
        header.writeUInt32LE(raw[i].length, 4 + 8 * i);
        header.writeUInt32LE(part.length, 8 + 8 * i);
    });
    return Buffer.concat([STATE_MAGIC, header, ...packed]);
}

async function readState(path) {
    const file = await readFile(path);
    if (!file.subarray(0, STATE_MAGIC.length).equals(STATE_MAGIC)) {
        throw new Error(`${path} is not a v86unit state file`);
    }
    let offset = STATE_MAGIC.length;
    const count = file.length >= offset + 4 ? file.readUInt32LE(offset) : 0;
    if (count === 0 || file.length < offset + 4 + 8 * count) {
        throw new Error(`${path} is truncated or damaged: its header is incomplete`);
    }
    const sizes = [];
    for (let i = 0; i < count; i++) sizes.push([file.readUInt32LE(offset + 4 + 8 * i), file.readUInt32LE(offset + 8 + 8 * i)]);
    offset += 4 + 8 * count;
    const jobs = [];
    let total = 0;
    for (const [rawSize, packedSize] of sizes) {
        const at = total;
        jobs.push(gunzipAsync(file.subarray(offset, offset + packedSize)).then((part) => {
            if (part.length !== rawSize) throw new Error(`${path}: a part unpacked to ${part.length} bytes, not ${rawSize}`);
            return [at, part];
        }));
        offset += packedSize;
        total += rawSize;
    }
    if (offset !== file.length) throw new Error(`${path} is ${file.length} bytes, its header describes ${offset}`);
    const state = new Uint8Array(total);
    for (const [at, part] of await Promise.all(jobs)) state.set(part, at);
    return state;
}

/**
 * Temp file, fsync, rename: a reader never sees half a file. The temp file has a random name and is
 * created exclusively ("wx": O_CREAT|O_EXCL), so it is never an existing file or a symlink someone
 * planted under a name we would pick; the rename then replaces whatever stands at `path` (a symlink
 * too) instead of writing through it.
 */
async function writeAtomically(path, bytes) {
    const temp = join(dirname(path), `.v86unit-${crypto.randomUUID()}.tmp`);
    const handle = await open(temp, "wx");
    try {
        try {
            await handle.writeFile(bytes);
            await handle.sync();
        } finally {
            await handle.close();
        }
        await rename(temp, path);
    } catch (error) {
        const { rm } = await import("node:fs/promises");
        await rm(temp, { force: true });
        throw error;
    }
}

/** A content-addressed file: written (atomically) only when no file of that size is there yet. */
async function storeOnce(path, bytes) {
    try {
        if ((await stat(path)).size === bytes.length) return;
    } catch (error) {
        if (error.code !== "ENOENT") throw error;
    }
    await writeAtomically(path, bytes);
}

function mkdirs(fs, path) {
    let parent = 0;
    for (const part of path.split("/").filter((p) => p.length > 0)) {
        let id = fs.Search(parent, part);
        if (id === -1) id = fs.CreateDirectory(part, parent);
        else if (!fs.IsDirectory(id)) throw new Error(`${part} in ${path} is not a directory in the 9p share`);
        parent = id;
    }
    return parent;
}

function setPermissions(fs, id, mode) {
    const inode = fs.GetInode(id);
    inode.mode = (inode.mode & 0o170000) | (mode & 0o7777);
}

var host = new Host();
const operations = {
    boot: (r) => host.boot(r),
    send: (r) => host.send(r),
    exec: (r) => host.exec(r),
    spawn: (r) => host.spawn(r),
    writeFile: (r) => host.writeFile(r),
    readFile: (r) => host.readFile(r),
    saveState: (r) => host.saveState(r),
    restoreState: (r) => host.restoreState(r),
    dropState: (r) => host.dropState(r),
    mkdir: (r) => host.mkdir(r),
    symlink: (r) => host.symlink(r),
    list: (r) => host.list(r),
    exportTree: (r) => host.exportTree(r),
    stats: (r) => host.stats(r),
    exposePort: (r) => host.exposePort(r),
    allowHostPort: (r) => host.allowHostPort(r),
    probePort: (r) => host.probePort(r),
    shutdown: (r) => host.shutdown(r),
    ping: () => ({ protocol: PROTOCOL_VERSION }),
};

let queue = Promise.resolve();

async function handle(line) {
    let request;
    try {
        request = JSON.parse(line);
    } catch (error) {
        send({ id: null, ok: false, error: `not a JSON request: ${line.slice(0, 200)}` });
        return;
    }
    const operation = operations[request.op];
    if (!operation) {
        send({ id: request.id, ok: false, error: `unknown op '${request.op}'; known: ${Object.keys(operations).join(", ")}` });
        return;
    }
    try {
        const result = await operation(request);
        if (result !== ANSWERS_LATER) send({ id: request.id, ok: true, ...result });
    } catch (error) {
        send({ id: request.id, ok: false, error: String(error?.stack ?? error) });
    }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
    if (line.trim().length === 0) return;
    queue = queue.then(() => handle(line));
});
// The JVM is gone (or closed us): never outlive it.
lines.on("close", () => process.exit(0));
process.on("uncaughtException", (error) => {
    process.stderr.write(`v86unit host: uncaught ${error?.stack ?? error}\n`);
    send({ event: "fatal", error: String(error?.stack ?? error) });
    process.exit(70);
});
send({ event: "hello", protocol: PROTOCOL_VERSION, node: process.versions.node, pid: process.pid });
