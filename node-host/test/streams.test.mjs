// The output stream scanner: markers found in chunks split anywhere, output passed on unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StreamScanner, WriteTap, marker } from "../src/streams.mjs";

const NONCE = "0123456789abcdef";

function scan(chunks, sync = false) {
    const out = [];
    let exitCode = null;
    let endings = 0;
    const scanner = new StreamScanner(NONCE, sync, (c) => out.push(Buffer.from(c)), (code) => { exitCode = code; endings++; });
    for (const chunk of chunks) scanner.push(Buffer.from(chunk));
    return { out: Buffer.concat(out), exitCode, endings };
}

/** Every way of cutting the stream in two and in three pieces. */
function cuts(stream) {
    const result = [[stream]];
    for (let i = 0; i <= stream.length; i++) {
        result.push([stream.subarray(0, i), stream.subarray(i)]);
        for (let j = i; j <= stream.length; j += 7) result.push([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]);
    }
    return result;
}

test("passes output on and reads the exit code from the end marker, however the stream is cut", () => {
    const output = Buffer.from("line 1\n__V86_ not ours\n__V86_0123456789abcdef_ almost\nlast, no newline");
    const stream = Buffer.concat([output, marker(NONCE, "E", 42)]);
    for (const pieces of cuts(stream)) {
        const { out, exitCode, endings } = scan(pieces);
        assert.deepEqual(out, output);
        assert.equal(exitCode, 42);
        assert.equal(endings, 1);
    }
});

test("drops what comes after the end marker", () => {
    const { out, exitCode } = scan([Buffer.concat([Buffer.from("a"), marker(NONCE, "E", 0), Buffer.from("late output")]), "more"]);
    assert.equal(out.toString(), "a");
    assert.equal(exitCode, 0);
});

test("with sync, drops stale output up to the start marker", () => {
    const stream = Buffer.concat([Buffer.from("stale from an interrupted command"), marker(NONCE, "S"), Buffer.from("fresh"), marker(NONCE, "E", 3)]);
    for (const pieces of cuts(stream)) {
        const { out, exitCode } = scan(pieces, true);
        assert.equal(out.toString(), "fresh");
        assert.equal(exitCode, 3);
    }
});

test("a marker with another nonce is output", () => {
    const other = marker("fedcba9876543210", "E", 1);
    const { out, exitCode } = scan([other, marker(NONCE, "E", 0)]);
    assert.deepEqual(out, other);
    assert.equal(exitCode, 0);
});

test("keeps back only a possible beginning of the marker, so output streams as it comes", () => {
    const seen = [];
    const scanner = new StreamScanner(NONCE, false, (c) => seen.push(c.toString()), () => {});
    scanner.push(Buffer.from("progress 10%\n"));
    assert.deepEqual(seen, ["progress 10%\n"]);
    scanner.push(Buffer.from("x__V86_0123"));
    assert.deepEqual(seen, ["progress 10%\n", "x"]);
    scanner.push(Buffer.from("y"));
    assert.deepEqual(seen, ["progress 10%\n", "x", "__V86_0123y"]);
});

test("binary output with every byte value arrives unchanged", () => {
    const bytes = Buffer.alloc(256 * 10);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    const { out } = scan([bytes.subarray(0, 999), bytes.subarray(999), marker(NONCE, "E", 0)]);
    assert.deepEqual(out, bytes);
});

/** A stand-in for v86's filesystem: the inode table and Write/Read, as WriteTap wraps them. */
function fakeFs() {
    const inodes = [{ size: 0 }, { size: 0 }];
    return {
        inodes,
        written: [],
        SearchPath: (path) => ({ id: path === "/.v86unit/so" ? 1 : -1 }),
        GetInode: (id) => inodes[id],
        async Write(id, offset, count, buffer) { this.written.push([id, offset, count, buffer]); },
        async Read(id, offset, count) { return new Uint8Array(count).fill(7); },
    };
}

test("a tapped file passes each byte on once, also when a cached page is written back again from its start", async () => {
    const fs = fakeFs();
    const tap = new WriteTap(fs);
    const got = [];
    tap.tap("/.v86unit/so", (chunk) => got.push(chunk.toString("latin1")));
    await fs.Write(1, 0, 6, Buffer.from("hello\n"));
    await fs.Write(1, 0, 12, Buffer.from("\0\0\0\0\0\0world\n"));   // the page again, from its start: only "world\n" is new
    await fs.Write(1, 6, 6, Buffer.from("world\n"));                  // the same bytes again: nothing new
    await fs.Write(1, 12, 3, Buffer.from("end"));
    assert.deepEqual(got, ["hello\n", "world\n", "end"]);
    assert.equal(fs.inodes[1].size, 15, "the size says how far the stream was delivered");
    assert.deepEqual(fs.written, [], "the file itself keeps no data");
    assert.deepEqual([...await fs.Read(1, 10, 100)], [0, 0, 0, 0, 0], "it reads as zeros up to its size");
});
