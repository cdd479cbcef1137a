// Output streams of guest commands, as the host sees them.
//
// In the guest, a command's stdout and stderr go into two FIFOs; one forwarder per FIFO (dd, at the
// lowest priority, so that it reads large chunks) writes what it reads to a file on the 9p share.
// The host intercepts the 9p writes to those files (nothing is stored) and hands the bytes to a
// StreamScanner per stream. The control shell ends each command by writing a marker with a fresh
// nonce into both FIFOs: `__V86_<nonce>_E<exit code, 3 digits>__`; after an interrupted command it
// starts the next one with `__V86_<nonce>_S000__`, and everything before that is stale.

export const MARKER_PREFIX = "__V86_";

/** @return the exact marker bytes for a nonce, a kind ("E" end, "S" start) and a code */
export function marker(nonce, kind, code = 0) {
    return Buffer.from(`${MARKER_PREFIX}${nonce}_${kind}${String(code).padStart(3, "0")}__`, "latin1");
}

/**
 * Finds the end marker of one command in one stream, in chunks split anywhere, and passes on the
 * command's own bytes as soon as they cannot be the start of the marker. Bytes after the end
 * marker (a background child still writing) are dropped.
 */
export class StreamScanner {
    /**
     * @param nonce  the command's nonce
     * @param sync   true: drop everything up to the start marker first (stale output)
     * @param emit   called with each chunk (Buffer) of the command's output
     * @param ended  called once with the exit code in the end marker
     */
    constructor(nonce, sync, emit, ended) {
        this.nonce = nonce;
        this.start = sync ? Buffer.from(`${MARKER_PREFIX}${nonce}_S000__`, "latin1") : null;
        this.endPrefix = Buffer.from(`${MARKER_PREFIX}${nonce}_E`, "latin1");
        this.endLength = this.endPrefix.length + 5;
        this.emit = emit;
        this.ended = ended;
        this.held = Buffer.alloc(0);
        this.done = false;
    }

    push(chunk) {
        if (this.done) return;
        let data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
        this.held = Buffer.alloc(0);
        if (this.start) {
            const at = data.indexOf(this.start);
            if (at < 0) {
                this.held = Buffer.from(data.subarray(data.length - heldPrefix(data, this.start)));
                return;
            }
            data = data.subarray(at + this.start.length);
            this.start = null;
        }
        const at = data.indexOf(this.endPrefix);
        if (at >= 0 && data.length >= at + this.endLength) {
            if (at > 0) this.emit(data.subarray(0, at));
            this.done = true;
            const code = Number.parseInt(data.subarray(at + this.endPrefix.length, at + this.endPrefix.length + 3).toString("latin1"), 10);
            this.ended(Number.isNaN(code) ? 255 : code);
            return;
        }
        // Keep back only what may be the beginning of the end marker.
        const keep = at >= 0 ? data.length - at : heldPrefix(data, this.endPrefix);
        if (data.length > keep) this.emit(data.subarray(0, data.length - keep));
        if (keep > 0) this.held = Buffer.from(data.subarray(data.length - keep));
    }
}

/** @return the length of the longest tail of data that is a proper beginning of pattern */
function heldPrefix(data, pattern) {
    const max = Math.min(pattern.length - 1, data.length);
    for (let length = max; length > 0; length--) {
        if (data[data.length - length] !== pattern[0]) continue;
        if (data.subarray(data.length - length).equals(pattern.subarray(0, length))) return length;
    }
    return 0;
}

/**
 * Routes the 9p writes of the guest to the files that carry output: wraps the filesystem's Write so
 * that writes to a registered inode go to its handler instead of into memory. Inodes are looked up
 * by path, because a restored state brings its own inode numbers.
 */
export class WriteTap {
    constructor(fs) {
        this.fs = fs;
        this.handlers = new Map();
        const write = fs.Write.bind(fs);
        fs.Write = async (id, offset, count, buffer) => {
            const handler = this.handlers.get(id);
            if (handler === undefined) return write(id, offset, count, buffer);
            if (!buffer) return;
            // The guest wrote it and the host took it: the file keeps no data, only its size, which
            // says how far the stream was delivered (and is saved with the state, as the writer's
            // file position is). A guest that caches the share (cache=loose) writes a page back from
            // its start: what lies below the size was delivered already.
            const inode = fs.GetInode(id);
            const end = offset + Math.min(count, buffer.length);
            if (end <= inode.size) return;
            const from = Math.max(0, inode.size - offset);
            inode.size = end;
            handler(Buffer.from(buffer.buffer, buffer.byteOffset + from, end - offset - from));
        };
        // A tapped file has no data: it reads as zeros up to its size (a cached page being filled).
        const read = fs.Read.bind(fs);
        fs.Read = async (id, offset, count) => {
            if (!this.handlers.has(id)) return read(id, offset, count);
            return new Uint8Array(Math.max(0, Math.min(count, fs.GetInode(id).size - offset)));
        };
    }

    /** Sends writes to the file at {@code path} (created empty if missing) to handler; @return its inode */
    tap(path, handler) {
        const found = this.fs.SearchPath(path);
        if (found.id === -1) throw new Error(`${path} is missing in the 9p share`);
        for (const [id, existing] of this.handlers) if (existing.path === path) this.handlers.delete(id);
        handler.path = path;
        this.handlers.set(found.id, handler);
        return found.id;
    }

    untap(path) {
        for (const [id, existing] of this.handlers) if (existing.path === path) this.handlers.delete(id);
    }
}
