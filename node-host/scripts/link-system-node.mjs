// frontend-maven-plugin always runs <installDirectory>/node/node and
// <installDirectory>/node/node_modules/npm/bin/npm-cli.js, and has no switch to use the Node on PATH. The Node.js
// download site is not reachable from every build machine, so instead of letting it download
// Node we link the system Node (the one running this script) and its npm where it looks.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, lstatSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const [major] = process.versions.node.split(".").map(Number);
if (major < 20) {
    console.error(`v86unit needs Node.js >= 20 to build; found ${process.version} at ${process.execPath}`);
    process.exit(1);
}
const installDirectory = join(resolve(process.argv[2] ?? "."), "node");
const npmCommand = process.platform === "win32" ? "npm.cmd" : "npm";
const globalRoot = execFileSync(npmCommand, ["root", "-g"], { encoding: "utf8", shell: process.platform === "win32" }).trim();
const npmDirectory = join(globalRoot, "npm");
if (!existsSync(join(npmDirectory, "bin", "npm-cli.js"))) {
    console.error(`npm not found next to ${process.execPath} (looked in ${npmDirectory})`);
    process.exit(1);
}

function link(target, path) {
    mkdirSync(dirname(path), { recursive: true });
    try {
        lstatSync(path);
        rmSync(path, { recursive: true, force: true });
    } catch {
        // nothing there yet
    }
    symlinkSync(target, path);
}

// A layout left by an earlier build (or another tool) is replaced, never reused half-way.
rmSync(installDirectory, { recursive: true, force: true });
const nodeName = process.platform === "win32" ? "node.exe" : "node";
link(process.execPath, join(installDirectory, nodeName));
link(npmDirectory, join(installDirectory, "node_modules", "npm"));
console.log(`linked system Node ${process.version} and npm from ${npmDirectory} into ${installDirectory}`);
