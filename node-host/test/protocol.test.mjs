// Protocol tests of the host that need no guest: framing, errors and the stdin-close exit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const hostScript = fileURLToPath(new URL("../src/host.mjs", import.meta.url));

function startHost() {
    const child = spawn(process.execPath, [hostScript], { stdio: ["pipe", "pipe", "pipe"] });
    const messages = [];
    const waiters = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
        const message = JSON.parse(line);
        const waiter = waiters.find((w) => w.matches(message));
        if (waiter) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(message);
        } else {
            messages.push(message);
        }
    });
    const next = (matches) =>
        new Promise((resolve) => {
            const found = messages.find(matches);
            if (found) {
                messages.splice(messages.indexOf(found), 1);
                resolve(found);
            } else {
                waiters.push({ matches, resolve });
            }
        });
    const request = (line, id) => {
        child.stdin.write(line + "\n");
        return next((m) => m.id === id);
    };
    return { child, next, request };
}

test("says hello with its protocol version", async () => {
    const host = startHost();
    const hello = await host.next((m) => m.event === "hello");
    assert.equal(hello.protocol, 3);
    host.child.stdin.end();
});

test("answers each request with its id, in order", async () => {
    const host = startHost();
    const first = host.request(JSON.stringify({ id: 1, op: "ping" }), 1);
    const second = host.request(JSON.stringify({ id: 2, op: "stats" }), 2);
    assert.deepEqual(await first, { id: 1, ok: true, protocol: 3 });
    const stats = await second;
    assert.equal(stats.ok, true);
    assert.ok(stats.maxRssKb > 0);
    host.child.stdin.end();
});

test("reports an unknown op and a machine that was never booted as errors, not hangs", async () => {
    const host = startHost();
    const unknown = await host.request(JSON.stringify({ id: 5, op: "fly" }), 5);
    assert.equal(unknown.ok, false);
    assert.match(unknown.error, /unknown op 'fly'/);
    const notBooted = await host.request(JSON.stringify({ id: 6, op: "send", data: "" }), 6);
    assert.equal(notBooted.ok, false);
    assert.match(notBooted.error, /no machine: send 'boot' first/);
    host.child.stdin.end();
});

test("rejects a line that is not JSON and keeps serving", async () => {
    const host = startHost();
    host.child.stdin.write("this is not json\n");
    const error = await host.next((m) => m.id === null);
    assert.match(error.error, /not a JSON request/);
    assert.equal((await host.request(JSON.stringify({ id: 9, op: "ping" }), 9)).ok, true);
    host.child.stdin.end();
});

test("exits when its stdin closes", async () => {
    const host = startHost();
    await host.next((m) => m.event === "hello");
    const exited = new Promise((resolve) => host.child.on("exit", (code) => resolve(code)));
    host.child.stdin.end();
    assert.equal(await exited, 0);
});
