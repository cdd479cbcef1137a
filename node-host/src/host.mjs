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
import { readFile, writeFile, rename, open } from "node:fs/promises";
import { gzip, gunzip } from "node:zlib";
import { promisify } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const PROTOCOL_VERSION = 1;

const out = process.stdout;
console.log = console.info = console.debug = console.warn = (...args) => process.stderr.write(args.join(" ") + "\n");

const here = dirname(fileURLToPath(import.meta.url));
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

function send(message) {
    out.write(JSON.stringify(message) + "\n");
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

class Host {
    constructor() {
        this.emulator = null;
        this.forwarders = [new SerialForwarder(0), new SerialForwarder(1)];
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
        const V86 = await loadV86();
        const image = async (path) => (path ? { buffer: toArrayBuffer(await readFile(path)) } : undefined);
        const config = {
            wasm_path: join(here, "v86.wasm"),
            memory_size: req.memoryMb * 1024 * 1024,
            vga_memory_size: 2 * 1024 * 1024,
            bios: await image(req.bios),
            filesystem: {},
            autostart: true,
            disable_keyboard: true,
            disable_mouse: true,
            disable_speaker: true,
            fastboot: true,
            uart1: true,
        };
        if (req.state) {
            config.initial_state = { buffer: toArrayBuffer(await readState(req.state)) };
        } else {
            config.bzimage = await image(req.kernel);
            config.initrd = await image(req.initrd);
            config.cmdline = req.cmdline;
        }
        const emulator = new V86(config);
        this.emulator = emulator;
        for (const forwarder of this.forwarders) {
            emulator.add_listener(`serial${forwarder.port}-output-byte`, (byte) => forwarder.push(byte));
        }
        emulator.add_listener("emulator-stopped", () => send({ event: "stopped" }));
        await new Promise((resolve) => emulator.add_listener("emulator-loaded", resolve));
        calmIdleLoop(emulator);
        return { v86: "0.5.462" };
    }

    send(req) {
        this.requireEmulator().serial_send_bytes(req.port ?? 0, Buffer.from(req.data, "base64"));
        return {};
    }

    async writeFile(req) {
        const fs = this.fs();
        const bytes = req.source ? await readFile(req.source) : Buffer.from(req.data ?? "", "base64");
        mkdirs(fs, dirname(req.path));
        const found = fs.SearchPath(req.path);
        if (found.id === -1) {
            await this.requireEmulator().create_file(req.path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
            return { size: bytes.length };
        }
        if (fs.IsDirectory(found.id)) throw new Error(`${req.path} is a directory in the 9p share`);
        // Replace the contents of the existing inode: unlinking and re-creating it under a guest
        // that may still hold a fid for it corrupts v86's inode table.
        const data = new Uint8Array(bytes.length);
        data.set(bytes);
        await fs.set_data(found.id, data);
        const inode = fs.GetInode(found.id);
        inode.size = bytes.length;
        inode.mtime = Math.round(Date.now() / 1000);
        return { size: bytes.length };
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

    async saveState(req) {
        const emulator = this.requireEmulator();
        const state = Buffer.from(await emulator.save_state());
        const packed = await gzipAsync(state, { level: 1 });
        await writeAtomically(req.path, packed);
        return { size: state.length, compressedSize: packed.length };
    }

    async restoreState(req) {
        const emulator = this.requireEmulator();
        const state = await readState(req.path);
        await emulator.stop();
        await emulator.restore_state(toArrayBuffer(state));
        await emulator.run();
        return {};
    }

    stats() {
        const usage = process.resourceUsage();
        return { maxRssKb: usage.maxRSS, rssBytes: process.memoryUsage().rss };
    }

    async shutdown() {
        if (this.emulator) {
            await this.emulator.destroy();
            this.emulator = null;
        }
        setImmediate(() => process.exit(0));
        return {};
    }
}

function toArrayBuffer(buffer) {
    return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length);
}

async function readState(path) {
    const bytes = await readFile(path);
    return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipAsync(bytes) : bytes;
}

/** Temp file, fsync, rename: a reader never sees half a file. */
async function writeAtomically(path, bytes) {
    const temp = `${path}.${process.pid}.tmp`;
    const handle = await open(temp, "w");
    try {
        await handle.writeFile(bytes);
        await handle.sync();
    } finally {
        await handle.close();
    }
    await rename(temp, path);
}

function mkdirs(fs, path) {
    let parent = 0;
    for (const part of path.split("/").filter((p) => p.length > 0)) {
        let id = fs.Search(parent, part);
        if (id === -1) id = fs.CreateDirectory(part, parent);
        else if (!fs.IsDirectory(id)) throw new Error(`${part} in ${path} is not a directory in the 9p share`);
        parent = id;
    }
}

const host = new Host();
const operations = {
    boot: (r) => host.boot(r),
    send: (r) => host.send(r),
    writeFile: (r) => host.writeFile(r),
    readFile: (r) => host.readFile(r),
    saveState: (r) => host.saveState(r),
    restoreState: (r) => host.restoreState(r),
    stats: (r) => host.stats(r),
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
        send({ id: request.id, ok: true, ...result });
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
